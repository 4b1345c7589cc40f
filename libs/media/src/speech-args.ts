/**
 * ffmpeg arguments that find speech on one participant's audio track, as data (STYLE "ffmpeg
 * arguments are data"): only the media adapter spawns ffmpeg.
 *
 * How it is tuned (measured on generated speech with pauses, with and without background noise; see
 * docs/talk-time.md "Speech detection from per-participant audio"):
 * - The track is decoded once, downmixed to mono and resampled to 8 kHz (the telephone band carries
 *   speech; everything after this runs on a sixth of the samples), and high-passed at 200 Hz, which
 *   removes hum, rumble and most of a brown (fan, traffic) noise while keeping voices.
 * - `silencedetect` alone compares single samples with its threshold, so a noise whose RMS is 15 dB
 *   under the voice still has peaks near it. We give it the signal's power envelope instead: the
 *   square (asplit + amultiply), brought down to 400 Hz and smoothed by an 18 Hz low-pass. Noise is
 *   then a steady line within a dB of its mean and speech rises well above it; at 400 Hz the
 *   detectors below cost next to nothing.
 * - One fixed threshold cannot serve a clean track (silence at -90 dBFS, a quiet voice at -40) and a
 *   noisy one (noise at -35 dBFS) alike, so the same pass runs a ladder of `silencedetect`s from -66
 *   to -24 dBFS in 3 dB steps. Afterwards the noise floor is the lowest step at which the track shows
 *   real silence, and speech is what stands above floor + 6 dB (speech-ladder.ts). A second pass
 *   to measure the floor first would double the decoding, which is most of the cost.
 * - A silence is a pause of at least 0.6 s: shorter pauses inside sentences (breaths, commas, between
 *   words) are part of continuous speech. Speech shorter than 0.25 s between silences is a click
 *   or a knock, not talk, and is dropped; a one-word answer ("yes", "okay") lasts longer.
 */

/** The thresholds tried in the one pass, in dBFS (RMS of the envelope), lowest first. */
export const SPEECH_LADDER_DB: readonly number[] = Array.from({ length: 15 }, (_, i) => -66 + 3 * i);

export const SPEECH_TUNING = {
  /** A pause shorter than this inside speech is speech (silencedetect's `d`). */
  minPauseSeconds: 0.6,
  /** Speech shorter than this between two silences is noise (a click, a knock). */
  minSpeechSeconds: 0.25,
  /** Ladder steps between the noise floor and the threshold used (3 dB each). */
  marginSteps: 2,
  /** Silence that marks the noise floor: at least this share of the track… */
  floorShare: 0.02,
  /** …and at least this many seconds. */
  floorMinSeconds: 1,
} as const;

/** The envelope's sample rate: 2.5 ms resolution, and few samples for the detectors to visit. */
export const ENVELOPE_RATE = 400;

/** Containers a participant's track comes in: Zoom's M4A/MP4, WebM/MKV, and WAV. */
const SPEECH_INPUT_FORMATS = 'mov,matroska,wav';

/** silencedetect's `n` for a power envelope: the power ratio of a level in dBFS. */
export function envelopeThreshold(levelDb: number): string {
  return (10 ** (levelDb / 10)).toPrecision(4);
}

/** The filter graph: first audio track → power envelope → one silencedetect per ladder step. */
export function speechFilterGraph(ladderDb: readonly number[] = SPEECH_LADDER_DB, minPauseSeconds: number = SPEECH_TUNING.minPauseSeconds): string {
  const detectors = ladderDb.map((db) => `silencedetect=n=${envelopeThreshold(db)}:d=${minPauseSeconds}`);
  return [
    // Float, so the tiny powers of quiet passages are not rounded to zero by an s16 conversion.
    '[0:a:0]aresample=8000:filter_size=8,aformat=sample_fmts=flt:channel_layouts=mono',
    // Bigger frames: the per-frame cost of each filter, not its arithmetic, dominates at small ones;
    // the last frame is not padded, or the track would grow by up to a quarter of a second.
    'asetnsamples=n=2000:p=0',
    'highpass=f=200',
    'asplit[x][y];[x][y]amultiply',
    `aresample=${ENVELOPE_RATE}`,
    'lowpass=f=18',
    ...detectors,
  ].join(',') + '[envelope]';
}

/** The ffmpeg command line (without the binary) for one track; it prints what it finds on stderr. */
export function speechDetectArgs(inputPath: string): string[] {
  return [
    // Info level is where silencedetect speaks; `repeat` keeps identical lines from being folded.
    '-hide_banner', '-nostdin', '-loglevel', 'repeat+info',
    // A local file, read as a container we expect, never as a URL it may name.
    '-protocol_whitelist', 'file', '-format_whitelist', SPEECH_INPUT_FORMATS,
    '-i', `file:${inputPath}`,
    '-filter_complex', speechFilterGraph(),
    // No metadata carried to the (null) output: titles can carry names, and its dump is not read.
    '-map', '[envelope]', '-vn', '-sn', '-dn', '-map_metadata', '-1',
    '-c:a', 'pcm_f32le', '-f', 'null', '-',
  ];
}
