import { execFile } from 'node:child_process';
import { PassThrough, Transform } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import type { MediaInfo } from '@lib/database';
import { mediaInfoFromProbe } from './ffprobe-output';
import { MediaToolkit, ProbeTap } from './media-toolkit';

/** The system's ffmpeg/ffprobe (Debian package), driven through fluent-ffmpeg. */
export class FfmpegMediaToolkit extends MediaToolkit {
  probeFile(path: string): Promise<MediaInfo> {
    return new Promise((resolve, reject) => {
      ffmpeg.ffprobe(path, (error, data) => (error ? reject(error) : resolve(mediaInfoFromProbe(data as never))));
    });
  }

  probeTap(): ProbeTap {
    const probeInput = new PassThrough({ highWaterMark: 1024 * 1024 });
    let probing = true;
    let wake: (() => void) | null = null;
    const result = new Promise<MediaInfo | null>((resolve) => {
      ffmpeg(probeInput).ffprobe((error, data) => {
        probing = false;
        // ffprobe may stop reading early (it has what it needs): let the rest drain to nowhere.
        probeInput.resume();
        wake?.();
        resolve(error ? null : mediaInfoFromProbe(data as never));
      });
    });
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        if (!probing || probeInput.write(chunk)) return callback(null, chunk);
        // Respect ffprobe's pace, but never wait on a probe that has already finished.
        const onDrain = () => {
          wake = null;
          probeInput.off('drain', onDrain);
          callback(null, chunk);
        };
        wake = onDrain;
        probeInput.on('drain', onDrain);
      },
      flush(callback) {
        probeInput.end();
        callback();
      },
      destroy(error, callback) {
        // Streams are destroyed after a normal end too (autoDestroy): only a failure stops the probe.
        if (error) probeInput.destroy();
        callback(error);
      },
    });
    return { tap, result };
  }

  version(): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile('ffprobe', ['-version'], { timeout: 5000 }, (error, stdout) => {
        if (error) return reject(new Error('ffprobe is not available'));
        resolve(stdout.split('\n')[0]);
      });
    });
  }
}
