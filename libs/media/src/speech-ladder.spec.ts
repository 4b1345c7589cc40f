import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DetectedSilence, parseSilencedetectLog } from './silencedetect-output';
import { SPEECH_LADDER_DB } from './speech-args';
import { speechFromLadder, thresholdStep } from './speech-ladder';

// The ladder runs from -66 to -24 dBFS in 3 dB steps (index 0 = -66, 14 = -24).
const step = (db: number) => SPEECH_LADDER_DB.indexOf(db);

describe('thresholdStep', () => {
  it('on a clean track (silence at every step) uses two steps above the bottom', () => {
    const silent = SPEECH_LADDER_DB.map((_, i) => 40 + i * 0.2);
    expect(SPEECH_LADDER_DB[thresholdStep(silent, 90)]).toBe(-60);
  });

  it('under steady noise puts the threshold 6 dB above the first step that hears silence', () => {
    // Noise near -40 dBFS: nothing is silent below -39.
    const silent = SPEECH_LADDER_DB.map((db) => (db < -39 ? 0 : 40));
    expect(SPEECH_LADDER_DB[thresholdStep(silent, 90)]).toBe(-33);
  });

  it('does not take a lull shorter than the floor minimum for the noise floor', () => {
    // 0.9 s of silence at -45 (under 1 s and 2 % of 90 s), real silence from -42.
    const silent = SPEECH_LADDER_DB.map((db) => (db < -45 ? 0 : db === -45 ? 0.9 : 12));
    expect(SPEECH_LADDER_DB[thresholdStep(silent, 90)]).toBe(-36);
  });

  it('asks more silence of a long track before calling it the floor (2 % of it)', () => {
    // 60 s of silence at -51 is not 2 % of an hour; 600 s at -45 is.
    const silent = SPEECH_LADDER_DB.map((db) => (db < -51 ? 0 : db < -45 ? 60 : 600));
    expect(SPEECH_LADDER_DB[thresholdStep(silent, 3600)]).toBe(-39);
  });

  it('stops at the top step when the floor is near it', () => {
    const silent = SPEECH_LADDER_DB.map((db) => (db < -27 ? 0 : 90));
    expect(thresholdStep(silent, 90)).toBe(step(-24));
  });

  it('uses the top step when no step hears silence (talk, or noise louder than the ladder)', () => {
    expect(thresholdStep(SPEECH_LADDER_DB.map(() => 0), 90)).toBe(step(-24));
  });
});

describe('speechFromLadder', () => {
  // Recorded from ffmpeg 5.1: espeak-ng speech at 1.0–5.7 s and 10.0–13.6 s, pink noise at -40 dBFS.
  const recorded = parseSilencedetectLog(readFileSync(path.join(__dirname, 'fixtures', 'speech-two-turns.stderr.txt'), 'utf8'));

  it('finds the two turns of the recorded run, above the noise', () => {
    // By silent seconds: 0x…1800 (0.9 s, under the floor minimum) is -45, 0x…2700 (12.2 s) -42, the
    // floor, so the threshold is -36: 0x…3380, whose silences end at 1.0975 and begin at 13.355.
    expect(speechFromLadder(recorded)).toEqual({
      durationSeconds: 20.01,
      thresholdDb: -36,
      intervals: [
        { startSeconds: 1.098, endSeconds: 5.47 },
        { startSeconds: 10.008, endSeconds: 13.355 },
      ],
    });
  });

  it('orders the detectors by silence, not by the order they spoke in', () => {
    const shuffled = { ...recorded, detectors: [...recorded.detectors].reverse() };
    expect(speechFromLadder(shuffled)).toEqual(speechFromLadder(recorded));
  });

  it('gives the detectors that printed nothing the lowest steps (they heard no silence)', () => {
    // Only the top two steps heard anything: the floor is -27, the threshold the top step.
    const heard: DetectedSilence[][] = [
      [{ startSeconds: 0, endSeconds: 4 }],
      [{ startSeconds: 0, endSeconds: 4.5 }],
    ];
    expect(speechFromLadder({ durationSeconds: 10, detectors: heard })).toMatchObject({ thresholdDb: -24, intervals: [{ startSeconds: 4.5, endSeconds: 10 }] });
  });

  it('finds no speech on a silent track', () => {
    const detectors = SPEECH_LADDER_DB.map((): DetectedSilence[] => [{ startSeconds: 0, endSeconds: 600 }]);
    expect(speechFromLadder({ durationSeconds: 600, detectors })).toEqual({ durationSeconds: 600, thresholdDb: -60, intervals: [] });
  });

  it('has no answer without a duration, or with more detectors than steps', () => {
    expect(speechFromLadder({ durationSeconds: null, detectors: [] })).toBeNull();
    expect(speechFromLadder({ durationSeconds: 5, detectors: [...SPEECH_LADDER_DB, 0].map(() => []) })).toBeNull();
  });
});
