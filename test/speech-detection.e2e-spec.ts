import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AudioUnreadable, detectSpeechInFile, FfmpegMediaToolkit, NoAudioTrack, SpeechInterval } from '@lib/media';
import { addNoise, encodeM4a, espeakAvailable, espeakPhrases, layOut, PhraseSource, seconds, Span, SpeechPlan, syntheticPhrases } from './support/speech-audio';

/**
 * Issue 13, talk time from per-participant audio: speech found by the real ffmpeg on tracks made
 * here with known speech (phrases with pauses of 0.25–0.5 s inside them, silences of 7–13 s between
 * turns, a one-word answer at the end), clean, under background noise, and from a participant who
 * never speaks. Within max(2 s, 5 %) of the truth.
 *
 * The phrases are espeak-ng's voice when it is installed and a synthetic speech-like signal always;
 * SPEECH_TEST_VOICE=espeak or =synthetic runs one of them only (espeak then must be installed).
 * Needs ffmpeg only: no service, database or S3.
 */
const PLAN: SpeechPlan = {
  durationSeconds: 90,
  blocks: [
    { atSeconds: 0, seconds: 12 },
    { atSeconds: 20, seconds: 15 },
    { atSeconds: 41, seconds: 9 },
    { atSeconds: 62, seconds: 18 },
    { atSeconds: 86, seconds: 1 },
  ],
};

function voices(): Array<'espeak' | 'synthetic'> {
  const asked = process.env.SPEECH_TEST_VOICE;
  if (asked === 'espeak' || asked === 'synthetic') return [asked];
  return espeakAvailable() ? ['espeak', 'synthetic'] : ['synthetic'];
}

/** Total within max(2 s, 5 %), and each stretch of speech found once with both ends within 2 s. */
function expectNear(found: SpeechInterval[], truth: Span[]): void {
  const tolerance = Math.max(2, 0.05 * seconds(truth));
  expect(Math.abs(seconds(found) - seconds(truth))).toBeLessThanOrEqual(tolerance);
  expect(found.map((f) => `${f.startSeconds.toFixed(1)}–${f.endSeconds.toFixed(1)}`)).toHaveLength(truth.length);
  found.forEach((f, i) => {
    expect(Math.abs(f.startSeconds - truth[i].startSeconds)).toBeLessThanOrEqual(2);
    expect(Math.abs(f.endSeconds - truth[i].endSeconds)).toBeLessThanOrEqual(2);
  });
}

describe.each(voices())('speech detection on participant audio (%s speech)', (voice) => {
  const dir = mkdtempSync(path.join(tmpdir(), `speech-${voice}-`));
  const file = (name: string) => path.join(dir, `${name}.m4a`);
  let truth: Span[];

  beforeAll(async () => {
    if (voice === 'espeak' && !espeakAvailable()) throw new Error('SPEECH_TEST_VOICE=espeak but espeak-ng is not installed: bash scripts/ensure-services.sh');
    const phrases: PhraseSource = voice === 'espeak' ? await espeakPhrases(dir) : syntheticPhrases(3);
    const speech = layOut(PLAN, phrases);
    truth = speech.truth;
    // Background noise of a room: a fan's brown rumble and a broadband pink hiss, -35 dBFS together.
    const noisy = speech.samples.slice();
    addNoise(noisy, 'brown', -38, 11);
    addNoise(noisy, 'pink', -38, 12);
    // A quiet voice (-35 dBFS, 15 dB under the others) in a quiet room.
    const quiet = speech.samples.map((v) => v * 10 ** (-15 / 20));
    addNoise(quiet, 'pink', -55, 13);
    const floor = new Float32Array(speech.samples.length);
    addNoise(floor, 'white', -60, 14);
    const noiseOnly = new Float32Array(speech.samples.length);
    addNoise(noiseOnly, 'brown', -38, 15);
    addNoise(noiseOnly, 'pink', -38, 16);
    await Promise.all([
      encodeM4a(speech.samples, file('clean')),
      encodeM4a(noisy, file('noisy')),
      encodeM4a(quiet, file('quiet')),
      encodeM4a(floor, file('silent')),
      encodeM4a(noiseOnly, file('noise-only')),
    ]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds each turn on a clean track, pauses inside sentences counted as speech', async () => {
    const found = await detectSpeechInFile(file('clean'));
    expect(found.durationSeconds).toBeCloseTo(PLAN.durationSeconds, 0);
    expectNear(found.intervals, truth);
  });

  it('finds the same turns under background noise at -35 dBFS, the noise not counted', async () => {
    const found = await detectSpeechInFile(file('noisy'));
    expectNear(found.intervals, truth);
    // The threshold rose above the noise (a clean track's stays near the bottom of the ladder).
    expect(found.thresholdDb).toBeGreaterThan(-45);
  });

  it('finds a quiet voice (-35 dBFS) as well as a loud one', async () => {
    expectNear((await detectSpeechInFile(file('quiet'))).intervals, truth);
  });

  it("finds no speech on a silent participant's track (a noise floor at -60 dBFS)", async () => {
    const found = await detectSpeechInFile(file('silent'));
    expect(found.durationSeconds).toBeCloseTo(PLAN.durationSeconds, 0);
    expect(seconds(found.intervals)).toBeLessThan(0.5);
  });

  it('finds no speech in background noise alone', async () => {
    expect(seconds((await detectSpeechInFile(file('noise-only'))).intervals)).toBeLessThan(0.5);
  });

  it('gives the same answer through the MediaToolkit port', async () => {
    await expect(new FfmpegMediaToolkit().detectSpeech(file('noisy'))).resolves.toEqual(await detectSpeechInFile(file('noisy')));
  });
});

describe('speech detection on files it cannot use (real ffmpeg)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'speech-bad-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says a file that is not media is unreadable, without naming it', async () => {
    const notes = path.join(dir, 'Audio only - Jo Bloggs.m4a');
    writeFileSync(notes, 'not audio at all');
    const failure = await detectSpeechInFile(notes).catch((e: unknown) => e);
    expect(failure).toEqual(new AudioUnreadable('not a media file ffmpeg can read'));
    expect((failure as Error).message).not.toContain('Bloggs');
  });

  it('says a missing file is unreadable', async () => {
    await expect(detectSpeechInFile(path.join(dir, 'gone.m4a'))).rejects.toEqual(new AudioUnreadable('no such file'));
  });

  it('says a video without sound has no audio track', async () => {
    const video = path.join(dir, 'mute.mp4');
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-t', '1', '-c:v', 'libx264', video]);
    await expect(detectSpeechInFile(video)).rejects.toBeInstanceOf(NoAudioTrack);
  });
});
