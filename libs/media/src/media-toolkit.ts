import { Transform } from 'node:stream';
import type { MediaInfo } from '@lib/database';
import type { HlsOutput } from './hls-args';
import type { SpeechDetection } from './speech-ladder';

export interface ProbeTap {
  /** Put this in the byte pipeline: bytes pass through unchanged and are also shown to ffprobe. */
  readonly tap: Transform;
  /** Settles once ffprobe has finished (null when it could not read the media). */
  readonly result: Promise<MediaInfo | null>;
}

/** ffmpeg/ffprobe behind one small port, so the implementation can be swapped. */
export abstract class MediaToolkit {
  abstract probeFile(path: string): Promise<MediaInfo>;
  /** Probes bytes while they stream elsewhere (one pass: no second read of a multi-GB file). */
  abstract probeTap(): ProbeTap;
  /** The ffprobe version line; throws when ffprobe is missing (readiness). */
  abstract version(): Promise<string>;
  /**
   * Writes the first audio track of a local media file to `outputPath` (M4A): copied as it is when
   * the container allows, else re-encoded to AAC. Throws `NoAudioTrack` when there is none.
   */
  abstract extractAudio(inputPath: string, outputPath: string): Promise<{ mode: 'copy' | 'aac' }>;

  /**
   * Packages a local media file as AES-128 encrypted HLS into `out.dir` (`index.m3u8`,
   * `seg-NNNNN.ts`), the key named by `out.keyInfoFile`. Killed past its deadline.
   */
  abstract packageHls(input: { file: string }, out: HlsOutput & { timeoutMs?: number }): Promise<void>;

  /** Writes one JPEG frame of a local video to `outFile` (the player's poster). */
  abstract poster(file: string, outFile: string, atSeconds?: number): Promise<void>;

  /**
   * Where one participant's audio track (a local M4A) carries speech: disjoint intervals within
   * [0, durationSeconds]. Killed past its deadline; `NoAudioTrack` or `AudioUnreadable` for a file
   * it cannot use.
   */
  abstract detectSpeech(path: string): Promise<SpeechDetection>;
}

/** The media has no audio track to extract. */
export class NoAudioTrack extends Error {
  override readonly name = 'NoAudioTrack';
  constructor() {
    super('the video has no audio track');
  }
}

/** ffmpeg could not read an audio file (missing, not media, a container we do not read). */
export class AudioUnreadable extends Error {
  override readonly name = 'AudioUnreadable';
  /** Why, in words safe to log: never the file's path or name. */
  constructor(readonly reason: string) {
    super(`the audio could not be read: ${reason}`);
  }
}
