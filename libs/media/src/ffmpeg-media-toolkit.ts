import { execFile } from 'node:child_process';
import { PassThrough, Transform } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import type { MediaInfo } from '@lib/database';
import { audioExtractArgs } from './audio-extract-args';
import { mediaInfoFromProbe } from './ffprobe-output';
import { MediaToolkit, NoAudioTrack, ProbeTap } from './media-toolkit';

/** An extraction is disk-bound copying; an hour means ffmpeg is stuck, not busy. */
const EXTRACT_TIMEOUT_MS = 3_600_000;

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
        // End, not destroy: fluent-ffmpeg pipes probeInput into ffprobe's stdin, and a destroyed
        // source never closes that pipe, so ffprobe would wait for input for ever (one leaked
        // process per failed media download). EOF makes it exit and settles `result`.
        if (error && !probeInput.writableEnded) probeInput.end();
        callback(error);
      },
    });
    return { tap, result };
  }

  async extractAudio(inputPath: string, outputPath: string): Promise<{ mode: 'copy' | 'aac' }> {
    try {
      await runFfmpeg(audioExtractArgs(inputPath, outputPath, 'copy'));
      return { mode: 'copy' };
    } catch (error) {
      if (/matches no streams/.test((error as Error).message)) throw new NoAudioTrack();
      // A codec the M4A container cannot hold as is: re-encode to AAC.
      await runFfmpeg(audioExtractArgs(inputPath, outputPath, 'aac'));
      return { mode: 'aac' };
    }
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

function runFfmpeg(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('ffmpeg', args, { timeout: EXTRACT_TIMEOUT_MS, maxBuffer: 1024 * 1024 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      // ffmpeg's last stderr lines say why; they name files by our temporary paths only.
      const why = String(stderr).trim().split('\n').slice(-2).join(' ').slice(0, 300);
      reject(new Error(`ffmpeg failed: ${why || error.message}`));
    });
  });
}
