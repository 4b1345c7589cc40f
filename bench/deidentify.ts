// De-identification (issue 14, "Benchmarks"), pure CPU:
//  1. recall per kind and keep-rate on the labelled corpus (test/fixtures/deid) for this project and
//     for the npm package redact-pii — with its defaults, and with the roster's names added as
//     custom patterns — side by side, on the same running text;
//  2. names of people not on the roster: our cues with compromise's given names (the default), with
//     redact-pii's name list, with a hand-written list, with no list; compromise's .people();
//     wink-nlp's proper nouns;
//  3. throughput on a 60-minute transcript (1,600+ cues built from the corpus) against a plain
//     regex-only pass (split lines, replace emails and phone numbers) over the same text.
// Nothing of the corpus is printed or written: only counts and rates.
//
//   node dist/bench/deidentify.js      (or: bash scripts/bench.sh deid)
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  addScores, DEID_KINDS, DeidRosterPerson, DeidScore, defaultNameLexicon, deidentifyFile, emptyScore, evaluateDeidentification, GoldSpan,
  NameLexicon, parseGoldMarkup, parseWebVtt, rate, rosterWords, scoreSpans,
} from '@lib/text';
import { compromiseOrdinaryWords, compromisePeople, handWrittenLexicon, noNameLexicon, redactPii, redactPiiNameLexicon, Span, winkProperNouns } from './deid-rivals';
import { figure, Figure, interleavedTimings, log, machineInfo, percentile, printFigures, ROOT, round, runBench, timeMs, writeResults } from './support';

const CORPUS = path.join(ROOT, 'test', 'fixtures', 'deid');
const RUNS = Number(process.env.BENCH_DEID_RUNS ?? 30);
const GOAL_MS = 100;

interface CorpusFile {
  file: string;
  heldOut: boolean;
  roster: DeidRosterPerson[];
  source: string;
}

runBench('deidentify', async () => {
  const machine = await machineInfo();
  const machineLine = `${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}`;
  log(machineLine);
  const loadStart = process.hrtime.bigint();
  defaultNameLexicon();
  const lexiconLoadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;

  const corpus: CorpusFile[] = readdirSync(CORPUS)
    .filter((f) => /\.(vtt|txt)$/.test(f))
    .sort()
    .map((file) => ({
      file,
      heldOut: file.startsWith('heldout'),
      roster: JSON.parse(readFileSync(path.join(CORPUS, file.replace(/\.(vtt|txt)$/, '.roster.json')), 'utf8')).participants,
      source: readFileSync(path.join(CORPUS, file), 'utf8'),
    }));
  const evaluations = corpus.map((c) => ({ ...c, ev: evaluateDeidentification(c.source, c.roster) }));
  const sum = (scores: DeidScore[]) => scores.reduce(addScores, emptyScore());
  const ours = sum(evaluations.map((e) => e.ev.score));
  const oursHeldOut = sum(evaluations.filter((e) => e.heldOut).map((e) => e.ev.score));
  log(`corpus: ${corpus.length} files (${corpus.filter((c) => c.heldOut).length} held-out), ${DEID_KINDS.map((k) => `${k} ${ours.recall[k].total}`).join(', ')}`);

  // 1. redact-pii on the same running text (messages and cue text), scored by the same rules.
  const rival = (make: (c: CorpusFile) => (text: string) => Span[]) =>
    sum(
      evaluations.map((e) => {
        const run = make(e);
        const spans = e.ev.ranges.flatMap(([s, end]) => run(e.ev.text.slice(s, end)).map((x) => ({ ...x, start: x.start + s, end: x.end + s })));
        return scoreSpans(e.ev.text, e.ev.gold, spans, { ranges: e.ev.ranges, rosterWords: rosterWords(e.roster) });
      }),
    );
  const redactDefaults = redactPii(null);
  const piiDefaults = rival(() => redactDefaults);
  const piiRoster = rival((c) => redactPii(c.roster));

  // 2. Names of people not on the roster, one method at a time (PERSON spans only, no roster).
  const ordinary = compromiseOrdinaryWords();
  const ourLexicon = (lexicon: NameLexicon) => (c: CorpusFile) => {
    const ev = evaluateDeidentification(c.source, [], { lexicon });
    return ev.spans.filter((s) => s.kind === 'PERSON');
  };
  const onRanges = (fn: (text: string) => Span[]) => (c: CorpusFile) => {
    const ev = evaluations.find((e) => e.file === c.file)!.ev;
    return ev.ranges.flatMap(([s, end]) => fn(ev.text.slice(s, end)).map((x) => ({ ...x, start: x.start + s, end: x.end + s })));
  };
  const methods: Array<{ name: string; spans: (c: CorpusFile) => Span[] }> = [
    { name: 'cues + compromise given names (chosen)', spans: ourLexicon(defaultNameLexicon()) },
    { name: "cues + redact-pii's name list", spans: ourLexicon(redactPiiNameLexicon(ordinary)) },
    { name: 'cues + hand-written list', spans: ourLexicon(handWrittenLexicon(ordinary)) },
    { name: 'cues only, no name list', spans: ourLexicon(noNameLexicon(ordinary)) },
    { name: "compromise .people()", spans: onRanges(compromisePeople) },
    { name: 'wink-nlp proper nouns', spans: onRanges(winkProperNouns) },
  ];
  const names = methods.map((m) => {
    const t0 = process.hrtime.bigint();
    let others = emptyScore();
    let kept = emptyScore();
    for (const e of evaluations) {
      const spans = m.spans(e);
      const words = rosterWords(e.roster);
      const notOnRoster: GoldSpan[] = e.ev.gold.filter((g) => g.kind === 'PERSON' && !nameWordsOf(e.ev.text, g).some((w) => words.has(w)));
      others = addScores(others, scoreSpans(e.ev.text, notOnRoster, spans, { ranges: e.ev.ranges }));
      kept = addScores(kept, scoreSpans(e.ev.text, e.ev.gold, spans, { ranges: e.ev.ranges }));
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    return { name: m.name, recall: rate(others.recall.PERSON), found: others.recall.PERSON, kept: rate(kept.keptWords), keptAmbiguous: rate(kept.keptAmbiguousWords), ms };
  });

  // 3. Throughput on a 60-minute transcript.
  const { vtt, roster } = hourLongTranscript(corpus);
  const cues = parseWebVtt(vtt).length;
  const bytes = Buffer.byteLength(vtt);
  let sink = 0;
  const full = () => (sink += deidentifyFile(vtt, roster).length);
  const bare = () => (sink += regexOnly(vtt).length);
  const { measuredMs: fullMs, baselineMs: bareMs } = interleavedTimings(full, bare, { warmUp: 5, runs: RUNS });
  const redactMs = timeMs(() => (sink += vtt.split('\n').map((l) => redactDefaults(l).length).reduce((a, b) => a + b, 0)));
  const median = percentile(fullMs, 50);
  const baseline = percentile(bareMs, 50);

  const figures: Figure[] = [
    ...DEID_KINDS.map((k) =>
      figure({
        name: `recall ${k} (${ours.recall[k].total} spans): this project vs redact-pii defaults`,
        value: rate(ours.recall[k]),
        unit: '',
        baselineName: 'redact-pii defaults',
        baseline: rate(piiDefaults.recall[k]),
        goal: '≥ 0.97',
        met: rate(ours.recall[k]) >= 0.97,
        note: `redact-pii with roster names: ${round(rate(piiRoster.recall[k]), 3)}; held-out files now: ${round(rate(oursHeldOut.recall[k]), 3)}`,
      }),
    ),
    figure({
      name: 'recall, all kinds pooled',
      value: pooled(ours),
      unit: '',
      baselineName: 'redact-pii defaults',
      baseline: pooled(piiDefaults),
      goal: '≥ 0.97',
      met: pooled(ours) >= 0.97,
      note: `redact-pii with roster names: ${round(pooled(piiRoster), 3)}`,
    }),
    figure({
      name: 'names that became [PERSON] (on the roster / not)',
      value: rate(add(ours.namesAsPerson.roster, ours.namesAsPerson.others)),
      unit: '',
      baselineName: 'redact-pii defaults',
      baseline: rate(add(piiDefaults.namesAsPerson.roster, piiDefaults.namesAsPerson.others)),
      note: `ours ${round(rate(ours.namesAsPerson.roster), 3)} / ${round(rate(ours.namesAsPerson.others), 3)}; redact-pii with roster names ${round(rate(piiRoster.namesAsPerson.roster), 3)} / ${round(rate(piiRoster.namesAsPerson.others), 3)}`,
    }),
    figure({
      name: `ordinary words kept (${ours.keptWords.total} words)`,
      value: rate(ours.keptWords),
      unit: '',
      baselineName: 'redact-pii defaults',
      baseline: rate(piiDefaults.keptWords),
      goal: '≥ 0.95',
      met: rate(ours.keptWords) >= 0.95,
      note: `redact-pii with roster names: ${round(rate(piiRoster.keptWords), 4)}`,
    }),
    figure({
      name: `words that are also names kept (${ours.keptAmbiguousWords.total}: will, may, june, grace, …)`,
      value: rate(ours.keptAmbiguousWords),
      unit: '',
      baselineName: 'redact-pii defaults',
      baseline: rate(piiDefaults.keptAmbiguousWords),
      goal: '≥ 0.95',
      met: rate(ours.keptAmbiguousWords) >= 0.95,
      note: `redact-pii with roster names: ${round(rate(piiRoster.keptAmbiguousWords), 4)}`,
    }),
    ...names.slice(1).map((n) =>
      figure({
        name: `names not on the roster found (${names[0].found.total}): ${names[0].name} vs ${n.name}`,
        value: names[0].recall,
        unit: '',
        baselineName: n.name,
        baseline: n.recall,
        note: `words kept ${round(names[0].kept, 4)} vs ${round(n.kept, 4)}; name-like words kept ${round(names[0].keptAmbiguous, 4)} vs ${round(n.keptAmbiguous, 4)}; corpus ${round(names[0].ms)} ms vs ${round(n.ms)} ms`,
      }),
    ),
    figure({
      name: `60-min transcript, ${cues} cues, ${round(bytes / 1e6, 3)} MB: deidentifyFile (median of ${RUNS})`,
      value: median,
      unit: 'ms',
      baselineName: 'split lines + email and phone regexes',
      baseline,
      goal: `< ${GOAL_MS} ms`,
      met: median < GOAL_MS,
      note: `${round(bytes / 1e6 / (median / 1000), 2)} MB/s vs ${round(bytes / 1e6 / (baseline / 1000), 2)} MB/s; p90 ${round(percentile(fullMs, 90), 2)} ms; redact-pii defaults ${round(redactMs, 1)} ms once; lexicon load ${round(lexiconLoadMs, 1)} ms once per process; machine: ${machineLine}`,
    }),
  ];
  printFigures('de-identification', figures);
  const file = writeResults('deidentify', {
    bench: 'deidentify',
    machine,
    files: corpus.length,
    heldOutFiles: corpus.filter((c) => c.heldOut).length,
    tallies: { ours: tallies(ours), oursHeldOut: tallies(oursHeldOut), redactPiiDefaults: tallies(piiDefaults), redactPiiRoster: tallies(piiRoster) },
    names: names.map((n) => ({ ...n, found: n.found })),
    throughput: { cues, bytes, fullMs, bareMs, redactPiiMs: redactMs, lexiconLoadMs },
    figures,
    sink: sink > 0,
  });
  log(`results: ${file}`);
});

const add = (a: { total: number; hit: number }, b: { total: number; hit: number }) => ({ total: a.total + b.total, hit: a.hit + b.hit });
const pooled = (s: DeidScore) => rate(DEID_KINDS.map((k) => s.recall[k]).reduce(add, { total: 0, hit: 0 }));
const tallies = (s: DeidScore) => ({ recall: s.recall, namesAsPerson: s.namesAsPerson, keptWords: s.keptWords, keptAmbiguousWords: s.keptAmbiguousWords });
const nameWordsOf = (text: string, g: GoldSpan) => text.slice(g.start, g.end).toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').split(/[^\p{L}']+/u).filter(Boolean);


/** The baseline: every line split off, emails and phone numbers replaced by a regex each. */
function regexOnly(text: string): string {
  const email = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
  const phone = /\+?\d[\d ().-]{7,}\d/g;
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(email, '[EMAIL]').replace(phone, '[PHONE]'))
    .join('\n');
}

/**
 * An hour of tutoring built from the corpus: the cue texts of every corpus transcript in turn
 * (marks stripped), spoken by a fixed roster of four with Zoom's label variants, 2.2 s a cue.
 */
function hourLongTranscript(corpus: CorpusFile[]): { vtt: string; roster: DeidRosterPerson[] } {
  const roster: DeidRosterPerson[] = [
    { personId: 't', displayName: 'Siobhán Ní Bhriain-Walsh', role: 'tutor' },
    { personId: 'l1', displayName: 'Zoë O’Connor', role: 'learner', nicknames: ['Zo'] },
    { personId: 'l2', displayName: 'Will Turner', role: 'learner' },
    { personId: 'p1', displayName: 'Ana Lúcia Müller', role: 'parent' },
  ];
  const labels = ['Siobhan Ni Bhriain Walsh', "Zoë O'Connor", 'Will Turner', 'Ana Lúcia Müller (Guest)', 'Unknown Speaker'];
  const texts = corpus
    .filter((c) => c.file.endsWith('.vtt'))
    .flatMap((c) => parseWebVtt(parseGoldMarkup(c.source).text).map((cue) => cue.text.replace(/\n/g, ' ')));
  const clock = (ms: number) => {
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
  };
  const out = ['WEBVTT', ''];
  for (let n = 0, at = 0; at < 3_600_000; n++, at += 2200) {
    out.push(String(n + 1), `${clock(at)} --> ${clock(at + 2000)}`, `${labels[n % labels.length]}: ${texts[n % texts.length]}`, '');
  }
  return { vtt: out.join('\n'), roster };
}
