// Talk time from a transcript (issue 13, "Benchmarks"): a 60-minute Zoom transcript of 1,500+
// cues parsed and measured (parseWebVtt + talkTimeFromTranscript), median of 50 runs, against a
// bare pass over the same text in the same run (split into lines, match each against the cue
// timing pattern, take the speaker label): the least any parser must do, so the ratio says what
// speaker matching, interval unions and the metrics cost on top. Goal: < 50 ms. Pure CPU: no
// database, no files; the transcript is generated in memory from a fixed seed.
//
//   node dist/bench/talk-time-transcript.js      (or: bash scripts/bench.sh transcript)
//   BENCH_TRANSCRIPT_RUNS=200 node dist/bench/talk-time-transcript.js
import { parseWebVtt, talkTimeFromTranscript, TalkRosterPerson } from '@lib/text';
import { figure, interleavedTimings, log, machineInfo, percentile, printFigures, round, runBench, writeResults } from './support';
import { seeded } from '../test/support/seeded-random';

const RUNS = Number(process.env.BENCH_TRANSCRIPT_RUNS ?? 50);
const WARM_UP = 10;
const MINUTES = 60;
const GOAL_MS = 50;

const ROSTER: TalkRosterPerson[] = [
  { personId: 'tutor', displayName: 'Siobhán Ní Bhriain-Walsh', role: 'tutor' },
  { personId: 'learner-1', displayName: 'Zoë O’Connor', role: 'learner' },
  { personId: 'learner-2', displayName: 'José Müller', role: 'learner' },
  { personId: 'parent', displayName: 'Ana Lúcia Müller', role: 'parent' },
];
// How each person shows up in the file (Zoom label variants the matcher must see through) and
// labels that match nobody; the weights make a tutor-heavy session.
const VOICES: Array<{ labels: string[]; weight: number }> = [
  { labels: ['Siobhán Ní Bhriain-Walsh', 'Siobhan Ni Bhriain Walsh', 'siobhán ní bhriain-walsh'], weight: 45 },
  { labels: ["Zoë O'Connor", 'Zoe O’Connor (she/her)', 'Zoë'], weight: 20 },
  { labels: ['José Müller', 'JOSE MULLER'], weight: 18 },
  { labels: ['Ana Lúcia Müller (Guest)'], weight: 7 },
  { labels: ['iPad de Marta', 'Unknown Speaker', 'Sala 2'], weight: 10 },
];
const WORDS = 'the fraction half quarter three numbers double each time train leaves noon how far does it go why'.split(' ');

runBench('talk-time-transcript', async () => {
  const machine = await machineInfo();
  const machineLine = `${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}`;
  log(machineLine);
  const source = transcript(MINUTES, 0x5eed);
  const cueCount = parseWebVtt(source).length;
  log(`transcript: ${MINUTES} min, ${cueCount} cues, ${round(Buffer.byteLength(source) / 1000, 1)} kB`);
  if (cueCount < 1500) throw new Error(`only ${cueCount} cues: the benchmark asks for 1,500+`);

  // The work measured must be the real thing: the report covers the hour and sees every role.
  const report = talkTimeFromTranscript(parseWebVtt(source), ROSTER);
  if (report.sessionSeconds < MINUTES * 60 - 60 || report.unattributedSpeakers === 0 || report.parentSeconds === 0 || report.silentLearners.length > 0) {
    throw new Error('the generated transcript does not exercise every role and unmatched labels');
  }

  let sink = 0;
  const full = () => {
    sink += talkTimeFromTranscript(parseWebVtt(source), ROSTER).tutorSeconds;
  };
  const bare = () => {
    sink += barePass(source);
  };
  // Interleaved, so that a disturbance on the machine hits both alike.
  const { measuredMs: fullMs, baselineMs: bareMs } = interleavedTimings(full, bare, { warmUp: WARM_UP, runs: RUNS });
  const median = percentile(fullMs, 50);
  const baseline = percentile(bareMs, 50);
  const figures = [
    figure({
      name: `${MINUTES}-min transcript, ${cueCount} cues: parse + talk-time metrics (median of ${RUNS})`,
      value: median,
      unit: 'ms',
      baselineName: 'split lines + timing regex over the same text',
      baseline,
      goal: `< ${GOAL_MS} ms`,
      met: median < GOAL_MS,
      note: `p90 ${round(percentile(fullMs, 90), 2)} ms (bare ${round(percentile(bareMs, 90), 2)} ms); min ${round(fullMs[0], 2)} ms; machine: ${machineLine}`,
    }),
  ];
  printFigures('talk time from a transcript', figures);
  const file = writeResults('talk-time-transcript', { bench: 'talk-time-transcript', machine, minutes: MINUTES, cues: cueCount, runs: RUNS, fullMs, bareMs, figures, sink: sink > 0 });
  log(`results: ${file}`);
});


/** The baseline: every line split off and matched against the timing pattern, labels taken. */
function barePass(text: string): number {
  const timing = /^(\d{2}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2}):(\d{2}):(\d{2})\.(\d{3})/;
  let found = 0;
  for (const line of text.split(/\r?\n/)) {
    if (timing.test(line)) found += 1;
    else if (line.indexOf(': ') > 0) found += 2;
  }
  return found;
}

/**
 * A deterministic Zoom-like transcript: numbered cues of 0.7–3.7 s, sometimes overlapping the
 * previous one, mostly `Name: text`, some `<v Name>` tags, continuation cues without a name and
 * two-line cues; questions from the tutor.
 */
function transcript(minutes: number, seed: number): string {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const total = VOICES.reduce((sum, v) => sum + v.weight, 0);
  const voice = () => {
    let r = random() * total;
    return VOICES.find((v) => (r -= v.weight) < 0) ?? VOICES[0];
  };
  const clock = (ms: number) => {
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
  };
  const out = ['WEBVTT', ''];
  let at = 500;
  for (let n = 1; at < minutes * 60_000 - 5000; n++) {
    const length = 700 + Math.floor(random() * 3000);
    const v = voice();
    const words = Array.from({ length: 4 + Math.floor(random() * 10) }, () => pick(WORDS)).join(' ');
    const sentence = v === VOICES[0] && random() < 0.3 ? `${words}?` : `${words}.`;
    const label = pick(v.labels);
    const style = random();
    const first = style < 0.1 ? sentence : style < 0.25 ? `<v ${label}>${sentence}</v>` : `${label}: ${sentence}`;
    out.push(String(n), `${clock(at)} --> ${clock(at + length)}`, first);
    if (random() < 0.15) out.push(`${pick(WORDS)} ${pick(WORDS)}?`);
    out.push('');
    at += Math.max(0, length - 600 + Math.floor(random() * 1200));
  }
  return out.join('\n');
}

