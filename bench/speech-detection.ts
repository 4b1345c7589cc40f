// Per-participant audio analysis (issue 13, "Benchmarks"): speech detection on a 60-minute AAC mono
// track, in multiples of realtime, against ffmpeg's `silencedetect` alone on the same file
// (`ffmpeg -i f -af silencedetect -f null -`), median of 3 runs each, alternated, on the same
// machine in the same run. Goal: ≥ 1,000× realtime. Also reports how close the detected speech is to
// the truth the track was made with.
//
//   node dist/bench/speech-detection.js      (or: bash scripts/bench.sh speech)
//   BENCH_SPEECH_MINUTES=10 node dist/bench/speech-detection.js   (a quick try)
//   BENCH_SPEECH_VOICE=synthetic …   (the synthetic speech even when espeak-ng is installed)
//
// The track: five minutes of one participant's side of a lesson (turns of 2–25 s with pauses inside
// them, silences of 2–20 s between), espeak-ng's voice when installed, else synthetic speech, over a
// quiet room (pink noise at -55 dBFS), AAC 64 kb/s 48 kHz in an M4A, looped (no re-encoding) to the
// length. Made in a temporary folder, removed afterwards.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { detectSpeechInFile, SpeechInterval } from '@lib/media';
import { addNoise, encodeM4a, espeakAvailable, espeakPhrases, layOut, seconds, seeded, Span, SpeechPlan, syntheticPhrases } from '../test/support/speech-audio';
import { describeMachine, figure, log, machineInfo, printFigures, round, runBench, writeResults } from './support';

const MINUTES = Number(process.env.BENCH_SPEECH_MINUTES ?? 60);
const CHUNK_SECONDS = 300;
const RUNS = 3;
const GOAL_REALTIME = 1000;

runBench('speech-detection', async (cleanup) => {
  const machine = await machineInfo();
  const ffmpegVersion = execFileSync('ffmpeg', ['-version'], { encoding: 'utf8' }).split('\n')[0].replace(/ Copyright.*$/, '');
  log(`${describeMachine(machine)}; ${ffmpegVersion}`);
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-speech-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  const { file, truth, voice } = await makeTrack(dir, MINUTES * 60);
  const trackSeconds = MINUTES * 60;
  log(`track: ${voice} speech, ${round(statSync(file).size / 1e6, 1)} MB, ${trackSeconds} s, ${round(seconds(truth))} s of speech`);

  // Warm the page cache (and ffmpeg's libraries) so that neither side pays for the first read.
  await timed(() => run('ffmpeg', baselineArgs(file)));
  const baseline: number[] = [];
  const ours: number[] = [];
  let detected: SpeechInterval[] = [];
  for (let i = 0; i < RUNS; i++) {
    baseline.push(await timed(() => run('ffmpeg', baselineArgs(file))));
    ours.push(await timed(async () => (detected = (await detectSpeechInFile(file)).intervals)));
    log(`run ${i + 1}: silencedetect alone ${round(baseline[i], 3)} s, detectSpeechInFile ${round(ours[i], 3)} s`);
  }
  const baselineSeconds = median(baseline);
  const oursSeconds = median(ours);
  const accuracy = compare(detected, truth);
  log(`speech found ${round(seconds(detected))} s of ${round(seconds(truth))} s (${round(accuracy.errorPercent, 2)} %), ${detected.length} of ${truth.length} turns, ends within ${round(accuracy.worstEdgeSeconds, 2)} s`);

  const value = trackSeconds / oursSeconds;
  const figures = [
    figure({
      name: `speech detection on a ${MINUTES}-min AAC mono track (detectSpeechInFile)`,
      value,
      unit: '× realtime',
      baselineName: "ffmpeg's silencedetect alone, same file",
      baseline: trackSeconds / baselineSeconds,
      goal: `≥ ${GOAL_REALTIME}× realtime`,
      met: value >= GOAL_REALTIME,
      note:
        `median of ${RUNS}: ${round(oursSeconds, 3)} s vs ${round(baselineSeconds, 3)} s alone; ${voice} speech; ` +
        `speech found ${round(seconds(detected))} s of ${round(seconds(truth))} s true (${round(accuracy.errorPercent, 2)} % off), ` +
        `${detected.length}/${truth.length} turns; load average ${loadavg().map((l) => round(l, 2)).join(' ')}; ${ffmpegVersion}`,
    }),
  ];
  printFigures('speech detection', figures);
  const out = writeResults('speech-detection', {
    bench: 'speech-detection',
    machine,
    ffmpegVersion,
    minutes: MINUTES,
    voice,
    baselineRuns: baseline,
    detectRuns: ours,
    speechSeconds: { truth: seconds(truth), detected: seconds(detected) },
    turns: { truth: truth.length, detected: detected.length },
    worstEdgeSeconds: accuracy.worstEdgeSeconds,
    figures,
  });
  log(`results: ${out}`);
});

/** The baseline as the issue states it: silencedetect with its defaults, nothing else. */
const baselineArgs = (file: string) => ['-hide_banner', '-nostdin', '-i', file, '-af', 'silencedetect', '-f', 'null', '-'];

/** Five minutes made once with known turns, looped to the length; the truth repeats with it. */
async function makeTrack(dir: string, totalSeconds: number): Promise<{ file: string; truth: Span[]; voice: string }> {
  const chunkSeconds = Math.min(CHUNK_SECONDS, totalSeconds);
  const plan = lessonPlan(chunkSeconds);
  const voice = process.env.BENCH_SPEECH_VOICE !== 'synthetic' && espeakAvailable() ? 'espeak' : 'synthetic';
  log(`generating ${chunkSeconds} s of ${voice} speech…`);
  const { samples, truth } = layOut(plan, voice === 'espeak' ? await espeakPhrases(dir) : syntheticPhrases(5));
  addNoise(samples, 'pink', -55);
  const chunk = path.join(dir, 'chunk.m4a');
  await encodeM4a(samples, chunk);
  const loops = Math.ceil(totalSeconds / chunkSeconds);
  const file = path.join(dir, 'participant.m4a');
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-stream_loop', String(loops - 1), '-i', chunk, '-c', 'copy', '-t', String(totalSeconds), file]);
  const all = Array.from({ length: loops }, (_, k) => truth.map((s) => ({ startSeconds: s.startSeconds + k * chunkSeconds, endSeconds: s.endSeconds + k * chunkSeconds })));
  return { file, truth: all.flat().filter((s) => s.startSeconds < totalSeconds), voice };
}

/** One participant's side of a lesson: turns of 2–25 s, silences of 2–20 s, seeded. */
function lessonPlan(durationSeconds: number): SpeechPlan {
  const rand = seeded(2024);
  const blocks: SpeechPlan['blocks'] = [];
  let t = 1 + rand() * 3;
  while (true) {
    const turn = 2 + rand() * 23;
    if (t + turn > durationSeconds - 2) break;
    blocks.push({ atSeconds: round(t, 2), seconds: turn });
    t += turn + 2 + rand() * 18;
  }
  return { durationSeconds, blocks };
}

/** How far the detection is from the truth: total seconds, and the worst end of a matched turn. */
function compare(found: SpeechInterval[], truth: Span[]): { errorPercent: number; worstEdgeSeconds: number } {
  const errorPercent = (100 * Math.abs(seconds(found) - seconds(truth))) / seconds(truth);
  let worst = 0;
  for (const t of truth) {
    const match = found.find((f) => f.startSeconds < t.endSeconds && f.endSeconds > t.startSeconds);
    worst = Math.max(worst, match ? Math.max(Math.abs(match.startSeconds - t.startSeconds), Math.abs(match.endSeconds - t.endSeconds)) : t.endSeconds - t.startSeconds);
  }
  return { errorPercent, worstEdgeSeconds: worst };
}

function run(binary: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => execFile(binary, args, { maxBuffer: 64 * 1024 * 1024 }, (error) => (error ? reject(error) : resolve())));
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
