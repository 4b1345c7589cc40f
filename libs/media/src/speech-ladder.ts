import { DetectedSilence, SilencedetectLog, SpeechInterval, silentSeconds, speechFromSilences } from './silencedetect-output';
import { SPEECH_LADDER_DB, SPEECH_TUNING } from './speech-args';

/**
 * Choosing the threshold after the one pass that ran a ladder of detectors (speech-args.ts). Pure.
 *
 * Which detector is which step: ffmpeg names them only by address, but with one minimum pause a
 * higher threshold's silences contain every lower one's, so silent seconds rise with the threshold.
 * Sorting detectors by silent seconds orders them by step; equal seconds mean equal silences, so a
 * tie cannot mislead. Detectors that printed nothing found no silence: they are the lowest steps.
 */

export interface SpeechDetection {
  durationSeconds: number;
  /** Speech on the track, in order, disjoint. */
  intervals: SpeechInterval[];
  /** The envelope level (dBFS) that separated speech from the noise floor on this track. */
  thresholdDb: number;
}

type Tuning = typeof SPEECH_TUNING;

export function speechFromLadder(log: SilencedetectLog, ladderDb: readonly number[] = SPEECH_LADDER_DB, tuning: Tuning = SPEECH_TUNING): SpeechDetection | null {
  const duration = log.durationSeconds;
  if (duration === null || log.detectors.length > ladderDb.length) return null;
  const measured = log.detectors.map((silences) => ({ silences, seconds: silentSeconds(silences, duration) })).sort((a, b) => a.seconds - b.seconds);
  const steps: Array<{ silences: DetectedSilence[]; seconds: number }> = [
    ...Array.from({ length: ladderDb.length - measured.length }, () => ({ silences: [], seconds: 0 })),
    ...measured,
  ];
  const step = thresholdStep(steps.map((s) => s.seconds), duration, tuning);
  return {
    durationSeconds: Math.round(duration * 1000) / 1000,
    intervals: speechFromSilences(steps[step].silences, duration, tuning),
    thresholdDb: ladderDb[step],
  };
}

/**
 * The step to use, given the silent seconds at each step (lowest threshold first).
 * - The noise floor is the first step with real silence (floorShare of the track, floorMinSeconds):
 *   on a clean track the bottom step, under a steady noise the step just above the noise.
 * - Speech is what stands marginSteps above it, so the noise's own swell stays silence while a voice
 *   (15 dB and more above a noise we can live with) clears it.
 * - A track with no silence at any step is talk (or noise) throughout: the top step, all speech.
 */
export function thresholdStep(silentByStep: readonly number[], durationSeconds: number, tuning: Tuning = SPEECH_TUNING): number {
  const top = silentByStep.length - 1;
  const real = Math.max(tuning.floorMinSeconds, tuning.floorShare * durationSeconds);
  const floor = silentByStep.findIndex((seconds) => seconds >= real);
  return floor < 0 ? top : Math.min(floor + tuning.marginSteps, top);
}
