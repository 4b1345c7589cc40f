import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { addScores, DEID_KINDS, DeidScore, emptyScore, evaluateDeidentification, parseGoldMarkup, rate } from './deid-evaluation';
import type { DeidRosterPerson } from './deid-roster';
import { parseChatLog } from './chat-log';
import { deidentifyFile } from './deidentify';
import { parseWebVtt } from './webvtt';

// The labelled corpus (test/fixtures/deid/README.md): hand-written tutoring sessions whose personal
// data is marked inline. Issue 14 asks for recall ≥ 0.97 per kind and ordinary words kept ≥ 0.95.
const DIR = resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'deid');
const files = readdirSync(DIR).filter((f) => /\.(vtt|txt)$/.test(f)).sort();
const rosterOf = (file: string): DeidRosterPerson[] =>
  JSON.parse(readFileSync(join(DIR, file.replace(/\.(vtt|txt)$/, '.roster.json')), 'utf8')).participants;
const source = (file: string) => readFileSync(join(DIR, file), 'utf8');

const results = files.map((file) => ({ file, ...evaluateDeidentification(source(file), rosterOf(file)) }));
const total: DeidScore = results.reduce((acc, r) => addScores(acc, r.score), emptyScore());

const describeMisses = (kind: string) =>
  results.flatMap((r) => r.score.missed.filter((m) => m.kind === kind).map((m) => `${r.file}: ${r.text.slice(m.start, m.end)}`));

describe('de-identification on the labelled corpus (test/fixtures/deid)', () => {
  it('has at least 30 transcripts and chat logs, each with its roster, covering every kind', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
    expect(files.some((f) => f.endsWith('.vtt')) && files.some((f) => f.endsWith('.txt'))).toBe(true);
    const small = DEID_KINDS.filter((kind) => total.recall[kind].total < 30);
    expect(small).toEqual([]);
  });

  it('reads as Zoom files once the marks are stripped', () => {
    for (const file of files) {
      const { text } = parseGoldMarkup(source(file));
      expect(() => (file.endsWith('.vtt') ? parseWebVtt(text) : parseChatLog(text))).not.toThrow();
    }
  });

  it.each(DEID_KINDS)('finds at least 97%% of %s spans', (kind) => {
    const recall = rate(total.recall[kind]);
    // On failure the misses are listed (the corpus is fiction: printing it leaks nothing).
    expect({ kind, recall: recall >= 0.97 ? 'at least 0.97' : recall, missed: recall >= 0.97 ? [] : describeMisses(kind) }).toEqual({ kind, recall: 'at least 0.97', missed: [] });
  });

  it('turns at least 97% of names, on the roster or not, into [PERSON]', () => {
    const { roster, others } = total.namesAsPerson;
    expect(rate({ total: roster.total + others.total, hit: roster.hit + others.hit })).toBeGreaterThanOrEqual(0.97);
  });

  it('keeps at least 95% of ordinary words, and of the words that are also names', () => {
    const over = results.flatMap((r) => r.score.overRedacted.map((o) => `${r.file}: ${r.text.slice(o.start, o.end)}`));
    if (rate(total.keptAmbiguousWords) < 0.95 || rate(total.keptWords) < 0.95) throw new Error(`over-redacted:\n${over.join('\n')}`);
    expect(rate(total.keptWords)).toBeGreaterThanOrEqual(0.95);
    expect(rate(total.keptAmbiguousWords)).toBeGreaterThanOrEqual(0.95);
    expect(total.keptAmbiguousWords.total).toBeGreaterThanOrEqual(100);
  });

  it('leaves no speaker label, sender or recipient as a name', () => {
    for (const file of files) {
      const out = deidentifyFile(parseGoldMarkup(source(file)).text, rosterOf(file));
      const labels = file.endsWith('.vtt')
        ? parseWebVtt(out).map((c) => c.speakerLabel)
        : parseChatLog(out).flatMap((m) => [m.sender, m.recipient]);
      for (const label of labels) if (label !== null) expect([file, label]).toEqual([file, expect.stringMatching(/^\[(TUTOR|LEARNER \d+|PARENT \d+|PERSON)\]$/)]);
    }
  });
});
