// Participant audio made for tests and benchmarks, with known speech: phrases (espeak-ng's voice
// when it is installed, else a synthetic speech-like signal) laid out at known times with pauses
// inside speech, optional background noise, encoded to AAC in an M4A as Zoom's per-participant
// files are. Deterministic: a seeded generator, the same audio every run.
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { seeded } from './seeded-random';

export { seeded };

export const RATE = 16_000;

export interface Span {
  startSeconds: number;
  endSeconds: number;
}

/** Where someone talks: blocks of phrases (each block becomes one stretch of speech). */
export interface SpeechPlan {
  durationSeconds: number;
  /** Each block starts at `atSeconds` and is filled with phrases for about `seconds` (a short block: one short phrase). */
  blocks: Array<{ atSeconds: number; seconds: number }>;
}

/** Pauses between phrases inside a block: inside speech, so shorter than the detector's 0.6 s. */
export const PHRASE_PAUSES = [0.3, 0.45, 0.25, 0.5];

export interface PhraseSource {
  readonly kind: 'espeak' | 'synthetic';
  /** A phrase of speech, at -20 dBFS RMS, no silence at either end. */
  next(maxSeconds: number): Float32Array;
}

export function espeakAvailable(): boolean {
  return spawnSync('espeak-ng', ['--version'], { stdio: 'ignore' }).status === 0;
}


const SENTENCES = [
  'So what do you think happens to the fraction when we double the bottom number?',
  'Right, that is a good start.',
  'Let us try the next one together, and take it slowly.',
  'I think it gets smaller, because the pieces are smaller.',
  'Can you show me how you worked that out on the board?',
  'Okay.',
  'We multiply both sides by three, then we subtract four from each side.',
  'Yes.',
  'Remember that the area of a triangle is half the base times the height.',
  'I am not sure, maybe it is twelve?',
];

/** espeak-ng's English voice, one WAV per sentence (made together, once), cycled. */
export async function espeakPhrases(dir: string): Promise<PhraseSource> {
  const clips = await Promise.all(
    SENTENCES.map(async (text, i) => {
      const wav = path.join(dir, `espeak-${i}.wav`);
      await run('espeak-ng', ['-v', 'en', '-s', '165', '-w', wav, text]);
      return normalise(trimSilence(readWav(wav)));
    }),
  );
  let i = 0;
  return {
    kind: 'espeak',
    next(maxSeconds) {
      // The next clip that fits (the short answers fit short blocks), else the shortest.
      for (let k = 0; k < clips.length; k++) {
        const clip = clips[(i + k) % clips.length];
        if (clip.length / RATE <= maxSeconds) {
          i = (i + k + 1) % clips.length;
          return clip;
        }
      }
      return clips.reduce((a, b) => (a.length <= b.length ? a : b));
    },
  };
}

/**
 * Speech-like sound without a voice: syllables of 120–260 ms (a 4–5 Hz rhythm) of a harmonic tone
 * whose pitch glides like a voice's, shaped by two formants, some led by a short hiss (a consonant),
 * grouped into words with short gaps between them.
 */
export function syntheticPhrases(seed = 1): PhraseSource {
  const rand = seeded(seed);
  return {
    kind: 'synthetic',
    next(maxSeconds) {
      const seconds = Math.min(maxSeconds, 1.5 + rand() * 2.5);
      return normalise(syntheticPhrase(seconds, rand));
    },
  };
}

function syntheticPhrase(seconds: number, rand: () => number): Float32Array {
  const out = new Float32Array(Math.round(seconds * RATE));
  let t = 0;
  while (true) {
    const syllables = 1 + Math.floor(rand() * 3);
    const word: Array<{ at: number; len: number }> = [];
    let end = t;
    for (let s = 0; s < syllables; s++) {
      const len = 0.12 + rand() * 0.14;
      word.push({ at: end, len });
      end += len + rand() * 0.04;
    }
    if (end > seconds && t > 0) break;
    for (const { at, len } of word) syllable(out, at, Math.min(len, seconds - at), rand);
    t = end + 0.06 + rand() * 0.1;
    if (t >= seconds) break;
  }
  return trimSilence(out);
}

function syllable(out: Float32Array, at: number, len: number, rand: () => number): void {
  if (len <= 0.02) return;
  const f0 = 100 + rand() * 120;
  const glide = (rand() - 0.5) * 0.3;
  const f1 = 300 + rand() * 500;
  const f2 = 900 + rand() * 1300;
  const start = Math.round(at * RATE);
  const n = Math.round(len * RATE);
  if (rand() < 0.4) {
    // A consonant's hiss just before the vowel.
    const hiss = Math.round(0.05 * RATE);
    for (let k = 0; k < hiss && start - hiss + k >= 0; k++) out[start - hiss + k] += (rand() * 2 - 1) * 0.08 * Math.sin((Math.PI * k) / hiss);
  }
  // Harmonics of the starting pitch, weighted by the two formants (the glide is small enough to keep them).
  const gains: number[] = [];
  for (let h = 1; h * f0 * (1 + Math.max(0, glide)) < 3800; h++) {
    const hf = h * f0;
    gains.push(Math.exp(-(((hf - f1) / 200) ** 2)) + 0.5 * Math.exp(-(((hf - f2) / 300) ** 2)) + 0.05 / h);
  }
  let phase = 0;
  for (let k = 0; k < n && start + k < out.length; k++) {
    const x = k / n;
    phase += (2 * Math.PI * f0 * (1 + glide * x)) / RATE;
    // sin((h+1)φ) = 2cos(φ)·sin(hφ) − sin((h−1)φ): one sine and one cosine a sample, not one per harmonic.
    const c2 = 2 * Math.cos(phase);
    let before = 0;
    let current = Math.sin(phase);
    let v = 0;
    for (let h = 0; h < gains.length; h++) {
      v += gains[h] * current;
      const next = c2 * current - before;
      before = current;
      current = next;
    }
    out[start + k] += v * Math.sin(Math.PI * x) ** 2;
  }
}

/** Lays the plan out with phrases (`speechDb`: their level); returns the samples and the true speech intervals. */
export function layOut(plan: SpeechPlan, phrases: PhraseSource, speechDb = -20): { samples: Float32Array; truth: Span[] } {
  const gain = 10 ** ((speechDb + 20) / 20);
  const samples = new Float32Array(Math.round(plan.durationSeconds * RATE));
  const truth: Span[] = [];
  let pauses = 0;
  for (const block of plan.blocks) {
    let t = block.atSeconds;
    const until = block.atSeconds + block.seconds;
    while (true) {
      const phrase = phrases.next(until - t);
      const at = Math.round(t * RATE);
      for (let k = 0; k < phrase.length && at + k < samples.length; k++) samples[at + k] = phrase[k] * gain;
      t += phrase.length / RATE;
      const pause = PHRASE_PAUSES[pauses % PHRASE_PAUSES.length];
      if (t + pause + 1 > until) break;
      t += pause;
      pauses++;
    }
    truth.push({ startSeconds: block.atSeconds, endSeconds: Math.min(t, plan.durationSeconds) });
  }
  return { samples, truth };
}

export type NoiseColour = 'pink' | 'brown' | 'white';

/** Adds steady noise at `rmsDb` dBFS over the whole track (a fan, a street, a hum of voices). */
export function addNoise(samples: Float32Array, colour: NoiseColour, rmsDb: number, seed = 7): void {
  const noise = unitNoise(colour, seed, samples.length);
  const gain = 10 ** (rmsDb / 20);
  for (let i = 0; i < samples.length; i++) samples[i] += noise[i] * gain;
}

const noises = new Map<string, Float32Array>();

/** Noise of one colour at 0 dBFS RMS; made once per colour, seed and length. */
function unitNoise(colour: NoiseColour, seed: number, length: number): Float32Array {
  const key = `${colour}/${seed}/${length}`;
  const known = noises.get(key);
  if (known) return known;
  const rand = seeded(seed);
  const noise = new Float32Array(length);
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let brown = 0;
  for (let i = 0; i < length; i++) {
    const white = rand() * 2 - 1;
    if (colour === 'white') noise[i] = white;
    else if (colour === 'brown') noise[i] = brown = 0.995 * brown + 0.05 * white;
    else {
      // Paul Kellet's economy pink filter.
      b0 = 0.99765 * b0 + white * 0.099046;
      b1 = 0.963 * b1 + white * 0.2965164;
      b2 = 0.57 * b2 + white * 1.0526913;
      noise[i] = b0 + b1 + b2 + white * 0.1848;
    }
  }
  const scale = 1 / rms(noise);
  for (let i = 0; i < length; i++) noise[i] *= scale;
  noises.set(key, noise);
  return noise;
}

/** Encodes mono float samples to AAC in an M4A at 48 kHz, as Zoom's participant files. */
export function encodeM4a(samples: Float32Array, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const args = ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-f', 'f32le', '-ar', String(RATE), '-ac', '1', '-i', 'pipe:0', '-ar', '48000', '-c:a', 'aac', '-b:a', '64k', out];
    const child = execFile('ffmpeg', args, (error) => (error ? reject(error) : resolve()));
    child.stdin!.end(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
  });
}

export const seconds = (spans: readonly Span[]) => spans.reduce((sum, s) => sum + s.endSeconds - s.startSeconds, 0);

/** espeak-ng's WAV (16-bit mono PCM), brought to RATE by linear interpolation: plenty for a test voice. */
function readWav(file: string): Float32Array {
  const wav = readFileSync(file);
  const rate = wav.readUInt32LE(24);
  let at = 12;
  while (wav.toString('ascii', at, at + 4) !== 'data') at += 8 + wav.readUInt32LE(at + 4);
  // espeak-ng writes the data chunk's size as unknown when it streams: take what is there.
  const pcm = wav.subarray(at + 8, at + 8 + Math.min(wav.readUInt32LE(at + 4), wav.length - at - 8));
  const count = Math.floor(pcm.length / 2);
  const out = new Float32Array(Math.floor((count * RATE) / rate));
  for (let i = 0; i < out.length; i++) {
    const x = (i * rate) / RATE;
    const k = Math.floor(x);
    const a = pcm.readInt16LE(2 * k) / 32768;
    const b = k + 1 < count ? pcm.readInt16LE(2 * k + 2) / 32768 : a;
    out[i] = a + (b - a) * (x - k);
  }
  return out;
}

function run(binary: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => execFile(binary, args, (error) => (error ? reject(error) : resolve())));
}

/** Cuts what is near digital silence at both ends, so a phrase's placement is its true interval. */
function trimSilence(x: Float32Array): Float32Array {
  const peak = x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const floor = peak * 0.01;
  let a = 0;
  let b = x.length;
  while (a < b && Math.abs(x[a]) < floor) a++;
  while (b > a && Math.abs(x[b - 1]) < floor) b--;
  return x.slice(a, b);
}

/** Speech at -20 dBFS RMS, as a voice sits on a Zoom track. */
function normalise(x: Float32Array, rmsDb = -20): Float32Array {
  const gain = 10 ** (rmsDb / 20) / (rms(x) || 1);
  return x.map((v) => v * gain);
}

function rms(x: Float32Array): number {
  let sum = 0;
  for (const v of x) sum += v * v;
  return Math.sqrt(sum / Math.max(1, x.length));
}
