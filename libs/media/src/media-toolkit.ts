import { Transform } from 'node:stream';
import type { MediaInfo } from '@lib/database';

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
}
