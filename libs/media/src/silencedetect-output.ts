/**
 * Reading what ffmpeg's `silencedetect` prints on stderr, and turning silences into speech. Pure:
 * the adapter hands over the lines, tests hand over recorded ones.
 *
 *   [silencedetect @ 0x55d1c4a0] silence_start: 12.0425
 *   [silencedetect @ 0x55d1c4a0] silence_end: 20.0125 | silence_duration: 7.97
 *
 * One command may run several detectors (speech-args.ts): each is told apart by the address in its
 * prefix. A silence_start with no end runs to the end of the track (older ffmpeg prints no end then).
 */

export interface DetectedSilence {
  startSeconds: number;
  /** null: still silent when the track ended. */
  endSeconds: number | null;
}

/** A stretch of the track, in seconds from its start. */
export interface SpeechInterval {
  startSeconds: number;
  endSeconds: number;
}
type Span = SpeechInterval;

export interface SilencedetectLog {
  /** How long the track is: the last progress `time=`, else the input's `Duration:`; null if neither. */
  durationSeconds: number | null;
  /** One list per detector, in the order each first spoke. */
  detectors: DetectedSilence[][];
}

// Anchored at the start of a line (or after a progress line's \r): the input's metadata is printed
// indented, so a title that imitates these lines is never read as one.
const NUMBER = '(-?\\d+(?:\\.\\d+)?(?:e[-+]?\\d+)?)';
const EVENT = new RegExp(`(?:^|\\r)\\[(?:Parsed_)?silencedetect[^\\]@]*@ ([^\\]]+)\\] silence_(start|end): ${NUMBER}`, 'gim');
const CLOCK = '(\\d+):(\\d{2}):(\\d{2}(?:\\.\\d+)?)';
const DURATION = new RegExp(`^ {2}Duration: ${CLOCK}`, 'm');
const PROGRESS = new RegExp(`(?:^|\\r)(?:size|frame)=[^\\r\\n]*?time=${CLOCK}`, 'gm');

/** True for the stderr lines this parser reads (the adapter keeps only these of a long run). */
export function isSilencedetectLine(line: string): boolean {
  return line.includes('silence_') || line.includes('Duration:') || line.includes('time=');
}

export function parseSilencedetectLog(stderr: string): SilencedetectLog {
  const byDetector = new Map<string, DetectedSilence[]>();
  for (const [, id, kind, value] of stderr.matchAll(EVENT)) {
    const silences = byDetector.get(id) ?? [];
    byDetector.set(id, silences);
    const at = Number(value);
    const open = silences.length > 0 && silences[silences.length - 1].endSeconds === null ? silences[silences.length - 1] : null;
    if (kind.toLowerCase() === 'start') {
      // A second start while one is open cannot come from ffmpeg; keep the earlier, longer silence.
      if (!open) silences.push({ startSeconds: at, endSeconds: null });
    } else if (open) {
      open.endSeconds = at;
    }
  }
  return { durationSeconds: durationOf(stderr), detectors: [...byDetector.values()] };
}

function durationOf(stderr: string): number | null {
  const progress = [...stderr.matchAll(PROGRESS)];
  const last = progress.length > 0 ? clockSeconds(progress[progress.length - 1]) : 0;
  if (last > 0) return last;
  const header = DURATION.exec(stderr);
  return header ? clockSeconds(header) : null;
}

function clockSeconds(m: RegExpMatchArray): number {
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** Silences clipped to the track, as closed intervals (an open one ends with the track). */
export function closeSilences(silences: readonly DetectedSilence[], durationSeconds: number): Span[] {
  const out: Span[] = [];
  for (const s of silences) {
    const startSeconds = Math.max(0, Math.min(s.startSeconds, durationSeconds));
    const endSeconds = Math.max(startSeconds, Math.min(s.endSeconds ?? durationSeconds, durationSeconds));
    if (endSeconds > startSeconds) out.push({ startSeconds, endSeconds });
  }
  return out.sort((a, b) => a.startSeconds - b.startSeconds);
}

/** Seconds of the track inside the silences (overlaps counted once). */
export function silentSeconds(silences: readonly DetectedSilence[], durationSeconds: number): number {
  let total = 0;
  let reached = 0;
  for (const s of closeSilences(silences, durationSeconds)) {
    const from = Math.max(s.startSeconds, reached);
    if (s.endSeconds > from) total += s.endSeconds - from;
    reached = Math.max(reached, s.endSeconds);
  }
  return total;
}

export interface SpeechShaping {
  /** Gaps between speech shorter than this are bridged (a pause inside a sentence). */
  minPauseSeconds: number;
  /** Speech shorter than this, once gaps are bridged, is dropped (a click, a knock). */
  minSpeechSeconds: number;
}

/**
 * Speech is the track minus its silences, within [0, duration]. Short pauses are bridged first, so a
 * short word next to other speech stays; then what is still too short to be talk is dropped.
 */
export function speechFromSilences(silences: readonly DetectedSilence[], durationSeconds: number, shaping: SpeechShaping): SpeechInterval[] {
  const speech: SpeechInterval[] = [];
  let cursor = 0;
  for (const s of closeSilences(silences, durationSeconds)) {
    if (s.startSeconds > cursor) speech.push({ startSeconds: cursor, endSeconds: s.startSeconds });
    cursor = Math.max(cursor, s.endSeconds);
  }
  if (durationSeconds > cursor) speech.push({ startSeconds: cursor, endSeconds: durationSeconds });

  const bridged: SpeechInterval[] = [];
  for (const interval of speech) {
    const last = bridged[bridged.length - 1];
    if (last && interval.startSeconds - last.endSeconds < shaping.minPauseSeconds) last.endSeconds = interval.endSeconds;
    else bridged.push({ ...interval });
  }
  return bridged
    .filter((i) => i.endSeconds - i.startSeconds >= shaping.minSpeechSeconds)
    .map((i) => ({ startSeconds: round3(i.startSeconds), endSeconds: round3(i.endSeconds) }));
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
