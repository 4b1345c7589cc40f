import { spawn } from 'node:child_process';
import { AudioUnreadable, NoAudioTrack } from './media-toolkit';
import { isSilencedetectLine, parseSilencedetectLog } from './silencedetect-output';
import { speechDetectArgs } from './speech-args';
import { SpeechDetection, speechFromLadder } from './speech-ladder';

/** An hour of audio takes a few seconds; ten minutes means ffmpeg is stuck, not busy. */
export const SPEECH_DETECTION_TIMEOUT_MS = 600_000;

export interface DetectSpeechOptions {
  /** The ffmpeg binary (default: `ffmpeg` on PATH). */
  ffmpegPath?: string;
  /** Past this ffmpeg is killed (SIGKILL) and the detection fails. */
  timeoutMs?: number;
}

/** stderr lines kept to explain a failure (ffmpeg says why in its last lines). */
const TAIL_LINES = 8;

/**
 * Speech on one participant's audio track (M4A, MP4, WebM/MKV or WAV), found by one ffmpeg pass.
 * Standalone: no Nest, no configuration, so the `talk-time` CLI runs it with no environment; the
 * media adapter calls the same function. Throws `NoAudioTrack` for a file without audio and
 * `AudioUnreadable` for one ffmpeg cannot read; its messages never name the file.
 */
export function detectSpeechInFile(path: string, options: DetectSpeechOptions = {}): Promise<SpeechDetection> {
  const timeoutMs = options.timeoutMs ?? SPEECH_DETECTION_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn(options.ffmpegPath ?? 'ffmpeg', speechDetectArgs(path), { stdio: ['ignore', 'ignore', 'pipe'] });
    // Only the lines the parser reads are kept: a long track's log is mostly progress and metadata.
    const kept: string[] = [];
    const tail: string[] = [];
    let partial = '';
    const take = (line: string) => {
      if (isSilencedetectLine(line)) kept.push(line);
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    };
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      const lines = (partial + chunk).split(/[\r\n]+/);
      partial = lines.pop() ?? '';
      lines.forEach(take);
    });
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(deadline);
      reject(new Error(`ffmpeg could not start (${(error as NodeJS.ErrnoException).code ?? 'error'})`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(deadline);
      if (partial) take(partial);
      if (timedOut) return reject(new Error(`ffmpeg did not finish within ${timeoutMs} ms and was killed`));
      if (code !== 0) return reject(failureOf(tail, code ?? signal));
      const detection = speechFromLadder(parseSilencedetectLog(kept.join('\n')));
      if (!detection) return reject(new AudioUnreadable('ffmpeg reported no duration'));
      resolve(detection);
    });
  });
}

/** ffmpeg's reason in words safe to log: its lines start with the file's path, which may carry a name. */
export function failureOf(tail: readonly string[], exit: number | string | null): Error {
  const text = tail.join('\n');
  if (/matches no streams|does not contain any stream/.test(text)) return new NoAudioTrack();
  const known: Array<[RegExp, string]> = [
    [/No such file or directory/, 'no such file'],
    [/Permission denied/, 'permission denied'],
    [/Is a directory/, 'a directory, not a file'],
    [/not on whitelist/, 'not an M4A, MP4, WebM/MKV or WAV file'],
    [/Invalid data found|moov atom not found/, 'not a media file ffmpeg can read'],
  ];
  const reason = known.find(([pattern]) => pattern.test(text))?.[1] ?? `ffmpeg exited with ${exit}`;
  return new AudioUnreadable(reason);
}
