import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { chatLog, slug, speakingTurns, timelineJson, transcriptVtt, Turn, turnPattern, TurnPattern } from './sample-script';

const run = promisify(execFile);

export interface SampleFile {
  path: string;
  size: number;
}

export interface SampleMedia {
  dir: string;
  seconds: number;
  /** Display names, tutor first. */
  participants: string[];
  /** Who speaks when: the ground truth the audio, transcript and timeline were made from. */
  turns: Turn[];
  video: SampleFile;
  audio: SampleFile;
  participantAudio: Array<SampleFile & { displayName: string }>;
  transcript: SampleFile;
  chat: SampleFile;
  timeline: SampleFile;
}

export interface SampleMediaOptions {
  seconds?: number;
  participants?: string[];
  ffmpegPath?: string;
}

export const DEFAULT_PARTICIPANTS = ['Ms Rivera', 'Elisa L', 'Tom K'];
const SAMPLE_RATE = 32000;
const VOICE_HZ = [196, 262, 330, 392, 440, 494];

/**
 * One participant's voice: a tone at their own pitch with a ~4 Hz syllable wobble, gated on during
 * their turns. The gate repeats with the turn pattern, so the expression stays small for long sessions.
 */
export function voiceExpression(pattern: TurnPattern, speaker: number, amplitude = 0.3): string {
  const gates = pattern.entries
    .filter((e) => e.speaker === speaker)
    .map((e) => `between(mod(t\\,${pattern.length})\\,${e.from}\\,${e.to})`);
  if (gates.length === 0) return '0';
  const hz = VOICE_HZ[speaker % VOICE_HZ.length];
  return `${amplitude}*sin(2*PI*${hz}*t)*(0.7+0.3*sin(2*PI*4*t))*(${gates.join('+')})`;
}

/** ffmpeg arguments for the generated files (data, so they can be read and tested). */
export function sampleArgs(kind: 'video' | 'audio', audioExpression: string, seconds: number, out: string): string[] {
  const audio = ['-f', 'lavfi', '-i', `aevalsrc=${audioExpression}:s=${SAMPLE_RATE}:d=${seconds}`];
  const common = ['-hide_banner', '-loglevel', 'error', '-y'];
  const aac = ['-c:a', 'aac', '-b:a', '48k'];
  if (kind === 'audio') return [...common, ...audio, ...aac, out];
  // No `-movflags +faststart`: Zoom's MP4s carry the moov atom at the end, and so must ours.
  return [
    ...common,
    '-f', 'lavfi', '-i', `testsrc=size=320x240:rate=15:duration=${seconds}`,
    ...audio,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    ...aac, '-shortest', out,
  ];
}

export async function generateSampleMedia(dir: string, opts: SampleMediaOptions = {}): Promise<SampleMedia> {
  const seconds = opts.seconds ?? 8;
  const participants = opts.participants ?? DEFAULT_PARTICIPANTS;
  if (participants.length === 0) throw new Error('at least one participant (the tutor) is needed');
  const ffmpeg = opts.ffmpegPath ?? 'ffmpeg';
  await mkdir(dir, { recursive: true });

  const pattern = turnPattern(participants.length);
  const turns = speakingTurns(participants, seconds);
  const voices = participants.map((_, i) => voiceExpression(pattern, i));
  const mixed = voices.filter((v) => v !== '0').join('+') || '0';
  const path = (name: string) => join(dir, name);
  const trackPaths = participants.map((name, i) => path(`participant-${i + 1}-${slug(name)}.m4a`));

  await Promise.all([
    run(ffmpeg, sampleArgs('video', mixed, seconds, path('video.mp4'))),
    run(ffmpeg, sampleArgs('audio', mixed, seconds, path('audio.m4a'))),
    ...voices.map((voice, i) => run(ffmpeg, sampleArgs('audio', voice, seconds, trackPaths[i]))),
    writeFile(path('transcript.vtt'), transcriptVtt(turns, participants)),
    writeFile(path('chat.txt'), chatLog(turns, participants)),
    writeFile(path('timeline.json'), timelineJson(turns)),
  ]);

  const file = async (p: string): Promise<SampleFile> => ({ path: p, size: (await stat(p)).size });
  return {
    dir,
    seconds,
    participants,
    turns,
    video: await file(path('video.mp4')),
    audio: await file(path('audio.m4a')),
    participantAudio: await Promise.all(trackPaths.map(async (p, i) => ({ ...(await file(p)), displayName: participants[i] }))),
    transcript: await file(path('transcript.vtt')),
    chat: await file(path('chat.txt')),
    timeline: await file(path('timeline.json')),
  };
}

/**
 * Writes `bytes` of incompressible-looking data fast enough for multi-gigabyte benchmarks: one random
 * block, re-stamped with its block number so no two blocks (and no two parts) are identical.
 */
export async function generateLargeFile(path: string, bytes: number): Promise<SampleFile> {
  const BLOCK = 4 * 1024 * 1024;
  const base = randomBytes(BLOCK);
  function* blocks() {
    for (let offset = 0, n = 0; offset < bytes; offset += BLOCK, n += 1) {
      const block = Buffer.from(base.subarray(0, Math.min(BLOCK, bytes - offset)));
      for (let at = 0; at + 8 <= block.length; at += 64 * 1024) block.writeBigUInt64LE(BigInt(n) ^ base.readBigUInt64LE(at), at);
      yield block;
    }
  }
  await pipeline(Readable.from(blocks()), createWriteStream(path));
  return { path, size: bytes };
}
