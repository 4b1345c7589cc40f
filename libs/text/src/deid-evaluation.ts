import { deidContext, DeidOptions, fileEdits } from './deid-context';
import { editSpans } from './deid-edits';
import { AMBIGUOUS_NAMES } from './deid-lexicon';
import type { DeidRosterPerson } from './deid-roster';
import type { DeidKind, DeidSpan } from './deid-spans';
import { wordTokens } from './deid-tokens';

/**
 * Scoring de-identification against a labelled corpus (test/fixtures/deid/README.md): the source
 * marks each piece of personal data inline, `{PERSON:Jake}`, `{EMAIL:jake@x.com}`; stripping the
 * marks gives the file and its gold spans. Used by the corpus spec and the benchmark alike.
 *   recall      a gold span counts as found when placeholders cover every character of it (any
 *               kind); for names, `asPerson` also asks that it became [PERSON]
 *   kept words  words of the running text outside gold spans that no placeholder touched, with
 *               the words that are also names counted apart
 */
export const DEID_KINDS: readonly DeidKind[] = ['PERSON', 'EMAIL', 'PHONE', 'URL', 'SOCIAL', 'ADDRESS', 'SCHOOL', 'DOB', 'ZOOM'];
const MARK = /\{([A-Z]+):([^{}]*)\}/g;

export interface GoldSpan {
  kind: DeidKind;
  start: number;
  end: number;
}

export function parseGoldMarkup(source: string): { text: string; gold: GoldSpan[] } {
  const gold: GoldSpan[] = [];
  let text = '';
  let at = 0;
  for (const m of source.matchAll(MARK)) {
    const kind = m[1] as DeidKind;
    if (!DEID_KINDS.includes(kind)) throw new Error(`unknown kind {${m[1]}:…} at offset ${m.index}`);
    text += source.slice(at, m.index);
    gold.push({ kind, start: text.length, end: text.length + m[2].length });
    text += m[2];
    at = m.index + m[0].length;
  }
  text += source.slice(at);
  if (/\{[A-Z]+:/.test(text)) throw new Error('an unclosed {KIND: mark');
  return { text, gold };
}

export interface Tally {
  total: number;
  hit: number;
}

export interface DeidScore {
  /** Gold spans of each kind, and how many placeholders covered. */
  recall: Record<DeidKind, Tally>;
  /** Gold names that became [PERSON], split by whether the person is on the roster. */
  namesAsPerson: { roster: Tally; others: Tally };
  /** Words outside gold spans, and how many stayed. */
  keptWords: Tally;
  /** The same for words that are also names (will, may, june, grace, …). */
  keptAmbiguousWords: Tally;
  /** Gold spans not covered, and words replaced that were not personal data (for diagnosis only). */
  missed: GoldSpan[];
  overRedacted: Array<{ start: number; end: number }>;
}

export function emptyScore(): DeidScore {
  const recall = Object.fromEntries(DEID_KINDS.map((k) => [k, { total: 0, hit: 0 }])) as Record<DeidKind, Tally>;
  return { recall, namesAsPerson: { roster: { total: 0, hit: 0 }, others: { total: 0, hit: 0 } }, keptWords: { total: 0, hit: 0 }, keptAmbiguousWords: { total: 0, hit: 0 }, missed: [], overRedacted: [] };
}

export function addScores(a: DeidScore, b: DeidScore): DeidScore {
  const add = (x: Tally, y: Tally) => ({ total: x.total + y.total, hit: x.hit + y.hit });
  const recall = Object.fromEntries(DEID_KINDS.map((k) => [k, add(a.recall[k], b.recall[k])])) as Record<DeidKind, Tally>;
  return {
    recall,
    namesAsPerson: { roster: add(a.namesAsPerson.roster, b.namesAsPerson.roster), others: add(a.namesAsPerson.others, b.namesAsPerson.others) },
    keptWords: add(a.keptWords, b.keptWords),
    keptAmbiguousWords: add(a.keptAmbiguousWords, b.keptAmbiguousWords),
    missed: [...a.missed, ...b.missed],
    overRedacted: [...a.overRedacted, ...b.overRedacted],
  };
}

export const rate = (t: Tally): number => (t.total === 0 ? 1 : t.hit / t.total);

/**
 * Scores predicted spans against gold ones over the running text (`ranges`; the whole text when
 * omitted). `rosterWords` (folded) tell a roster name from another's.
 */
export function scoreSpans(text: string, gold: readonly GoldSpan[], predicted: readonly { kind: string; start: number; end: number }[], opts: { ranges?: ReadonlyArray<readonly [number, number]>; rosterWords?: ReadonlySet<string> } = {}): DeidScore {
  const score = emptyScore();
  const covered = coverage(text.length, predicted);
  const asPerson = coverage(text.length, predicted.filter((p) => p.kind === 'PERSON'));
  // Letters and digits must be covered; the punctuation inside a span ("Apt 4B, Brooklyn") may stay.
  const all = (c: Uint8Array, s: GoldSpan) => {
    for (let k = s.start; k < s.end; k += 1) if (c[k] !== 1 && /[\p{L}\p{N}]/u.test(text[k])) return false;
    return true;
  };
  for (const g of gold) {
    const found = all(covered, g);
    score.recall[g.kind].total += 1;
    if (found) score.recall[g.kind].hit += 1;
    else score.missed.push(g);
    if (g.kind === 'PERSON') {
      const words = wordTokens(text.slice(g.start, g.end)).map((t) => t.folded);
      const tally = words.some((w) => opts.rosterWords?.has(w)) ? score.namesAsPerson.roster : score.namesAsPerson.others;
      tally.total += 1;
      if (all(asPerson, g)) tally.hit += 1;
    }
  }
  const goldMask = coverage(text.length, gold);
  for (const [from, to] of opts.ranges ?? [[0, text.length]]) {
    for (const t of wordTokens(text.slice(from, to))) {
      const [s, e] = [from + t.start, from + t.end];
      if (goldMask.subarray(s, e).some((v) => v === 1)) continue;
      const kept = !covered.subarray(s, e).some((v) => v === 1);
      score.keptWords.total += 1;
      if (kept) score.keptWords.hit += 1;
      else score.overRedacted.push({ start: s, end: e });
      if (AMBIGUOUS_WORDS.has(t.folded)) {
        score.keptAmbiguousWords.total += 1;
        if (kept) score.keptAmbiguousWords.hit += 1;
      }
    }
  }
  return score;
}

/** The words the keep-rate watches most: names that are also ordinary words. */
export const AMBIGUOUS_WORDS: ReadonlySet<string> = new Set([...AMBIGUOUS_NAMES, 'will', 'may', 'mark', 'bill', 'jack', 'pat', 'grace', 'hope', 'faith', 'rose']);

function coverage(length: number, spans: readonly { start: number; end: number }[]): Uint8Array {
  const c = new Uint8Array(length);
  for (const s of spans) c.fill(1, s.start, s.end);
  return c;
}

/** De-identifies one labelled corpus file (its markup stripped) and scores it. */
export interface DeidEvaluation {
  score: DeidScore;
  text: string;
  gold: GoldSpan[];
  spans: DeidSpan[];
  /** The running text of the file (messages and cue text, not labels or times), as offsets. */
  ranges: Array<[number, number]>;
}

export function evaluateDeidentification(source: string, roster: readonly DeidRosterPerson[], options: DeidOptions = {}): DeidEvaluation {
  const { text, gold } = parseGoldMarkup(source);
  const ranges: Array<[number, number]> = [];
  const spans = editSpans(fileEdits(text, deidContext(roster, options, (s, e) => ranges.push([s, e])), 0));
  return { score: scoreSpans(text, gold, spans, { ranges, rosterWords: rosterWords(roster) }), text, gold, spans, ranges };
}

export function rosterWords(roster: readonly DeidRosterPerson[]): Set<string> {
  return new Set(roster.flatMap((p) => [p.displayName, ...(p.nicknames ?? [])]).flatMap((n) => wordTokens(n).map((t) => t.folded)).filter((w) => !['ms', 'mr', 'mrs', 'dr', 'miss'].includes(w)));
}
