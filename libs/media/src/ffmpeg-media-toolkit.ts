import { execFile } from 'node:child_process';
import { Transform } from 'node:stream';
import { Logger } from '@nestjs/common';
import type { MediaInfo } from '@lib/database';
import { audioExtractArgs } from './audio-extract-args';
import { HlsOutput, hlsPackageArgs, posterArgs } from './hls-args';
import { exceededPixelLimit, ProbeInput, probeArgs } from './ffprobe-args';
import { mediaInfoFromProbe, oversizedPicture } from './ffprobe-output';
import { ProbeOutcome, ProbeProcess } from './ffprobe-process';
import { MediaToolkit, NoAudioTrack, ProbeTap } from './media-toolkit';
import { detectSpeechInFile, SPEECH_DETECTION_TIMEOUT_MS } from './speech-detection';
import type { SpeechDetection } from './speech-ladder';

/** An extraction is disk-bound copying; an hour means ffmpeg is stuck, not busy. */
const EXTRACT_TIMEOUT_MS = 3_600_000;
/**
 * Packaging by default: a remux takes seconds, but the re-encoding fallback of a long recording on
 * a small worker can take hours; past this ffmpeg is stuck. Callers may ask for less.
 */
const PACKAGE_TIMEOUT_MS = 6 * 3_600_000;
const POSTER_TIMEOUT_MS = 120_000;

export interface MediaLimits {
  /** How long a probe may run once its input has ended (a file: from the start). */
  readonly probeTimeoutMs: number;
  readonly maxImagePixels: number;
}

export const DEFAULT_MEDIA_LIMITS: MediaLimits = { probeTimeoutMs: 30_000, maxImagePixels: 50_000_000 };

/** The system's ffmpeg/ffprobe (Debian package), spawned with arguments built by pure functions. */
export class FfmpegMediaToolkit extends MediaToolkit {
  private readonly logger = new Logger('MediaToolkit');

  constructor(private readonly limits: MediaLimits = DEFAULT_MEDIA_LIMITS) {
    super();
  }

  async probeFile(path: string): Promise<MediaInfo> {
    const probe = this.spawnProbe({ kind: 'file', path });
    probe.armDeadline();
    const info = this.interpret(await probe.outcome);
    if (!info) throw new Error('ffprobe could not read the media');
    return info;
  }

  probeTap(): ProbeTap {
    const probe = this.spawnProbe({ kind: 'pipe' });
    const input = probe.stdin;
    let probing = true;
    let wake: (() => void) | null = null;
    const result = probe.outcome.then((outcome) => {
      probing = false;
      wake?.();
      return this.interpret(outcome);
    });
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        if (!probing || input.write(chunk)) return callback(null, chunk);
        // Respect ffprobe's pace, but never wait on a probe that has already finished.
        const onDrain = () => {
          wake = null;
          input.off('drain', onDrain);
          callback(null, chunk);
        };
        wake = onDrain;
        input.on('drain', onDrain);
      },
      flush(callback) {
        if (probing) input.end();
        probe.armDeadline();
        callback();
      },
      destroy(error, callback) {
        // Streams are destroyed after a normal end too (autoDestroy): only a failure ends the probe.
        if (error) probe.kill('the probed transfer failed');
        callback(error);
      },
    });
    return { tap, result };
  }

  async extractAudio(inputPath: string, outputPath: string): Promise<{ mode: 'copy' | 'aac' }> {
    try {
      await runFfmpeg(audioExtractArgs(inputPath, outputPath, 'copy'), EXTRACT_TIMEOUT_MS);
      return { mode: 'copy' };
    } catch (error) {
      if (/matches no streams/.test((error as Error).message)) throw new NoAudioTrack();
      // A codec the M4A container cannot hold as is: re-encode to AAC.
      await runFfmpeg(audioExtractArgs(inputPath, outputPath, 'aac'), EXTRACT_TIMEOUT_MS);
      return { mode: 'aac' };
    }
  }

  async packageHls(input: { file: string }, out: HlsOutput & { timeoutMs?: number }): Promise<void> {
    await runFfmpeg(hlsPackageArgs(input.file, out), out.timeoutMs ?? PACKAGE_TIMEOUT_MS);
  }

  async poster(file: string, outFile: string, atSeconds = 0): Promise<void> {
    await runFfmpeg(posterArgs(file, outFile, atSeconds), POSTER_TIMEOUT_MS);
  }

  detectSpeech(path: string): Promise<SpeechDetection> {
    return detectSpeechInFile(path, { timeoutMs: SPEECH_DETECTION_TIMEOUT_MS });
  }

  version(): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile('ffprobe', ['-version'], { timeout: 5000, killSignal: 'SIGKILL' }, (error, stdout) => {
        if (error) return reject(new Error('ffprobe is not available'));
        resolve(stdout.split('\n')[0]);
      });
    });
  }

  private spawnProbe(input: ProbeInput): ProbeProcess {
    return new ProbeProcess(probeArgs(input, this.limits), this.limits.probeTimeoutMs);
  }

  /** ffprobe's answer as what we record, or null: unreadable, refused format, or too large a picture. */
  private interpret(outcome: ProbeOutcome): MediaInfo | null {
    if (exceededPixelLimit(outcome.stderr)) {
      this.logger.warn(`probe refused: a picture exceeds MEDIA_MAX_IMAGE_PIXELS (${this.limits.maxImagePixels})`);
      return null;
    }
    if (outcome.failure) {
      if (/did not finish/.test(outcome.failure)) this.logger.warn(`probe killed: ${outcome.failure}`);
      return null;
    }
    const info = mediaInfoFromProbe(outcome.json as never);
    if (oversizedPicture(info, this.limits.maxImagePixels)) {
      this.logger.warn(`probe refused: a picture exceeds MEDIA_MAX_IMAGE_PIXELS (${this.limits.maxImagePixels})`);
      return null;
    }
    return info;
  }
}

function runFfmpeg(args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // SIGKILL on timeout: ffmpeg may take its time over a SIGTERM, and a stuck one must not linger.
    execFile('ffmpeg', args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      if (error.killed) return reject(new Error(`ffmpeg did not finish within ${timeoutMs} ms and was killed`));
      // ffmpeg's last stderr lines say why; they name files by our temporary paths only.
      const why = String(stderr).trim().split('\n').slice(-2).join(' ').slice(0, 300);
      reject(new Error(`ffmpeg failed: ${why || error.message}`));
    });
  });
}
