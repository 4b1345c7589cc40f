import type { ContactCandidate } from './contact-candidate';

/**
 * Phone numbers read aloud, as a transcript writes them: "oh seven seven double oh nine …",
 * "five five five, one two three, forty five sixty seven". A run of number words (digits, "oh",
 * "nought", "double"/"triple" before a digit, teens, tens with an optional unit, short numerals)
 * separated only by spaces and light punctuation is a phone number when it holds 7 digits or more.
 * Not phones: counting aloud ("one, two, three, …, eight", "twenty one, twenty two, …": any run whose
 * values step evenly), a leading interjection ("Oh, …"), and anything under 7 digits
 * ("nineteen sixty nine", "twelve thirty").
 */
const DIGITS: Record<string, number> = {
  zero: 0, oh: 0, nought: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
};
const TEENS: Record<string, number> = {
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const REPEATS: Record<string, number> = { double: 2, triple: 3 };
const TOKEN = /[a-z]+|\d+/gi;
/** What may stand between two words of one number: "five five five, one two three - forty-five". */
const GAP_CHARS = String.raw`[\s,.;:\-\u2010-\u2014\u2026]{0,4}`;
const GAP = new RegExp(`^${GAP_CHARS}$`);
const MIN_DIGITS = 7;
/**
 * Seven digits take two number tokens at least, and a spoken one among them stands next to
 * another: lines without such a pair (most lines, "one more like it") are not tokenised at all.
 */
const NUMBER_WORD = [...Object.keys(DIGITS), ...Object.keys(TEENS), ...Object.keys(TENS), ...Object.keys(REPEATS)].join('|');
const NUMBER_WORD_PAIR = new RegExp(String.raw`\b(?:${NUMBER_WORD})${GAP_CHARS}(?:\d|(?:${NUMBER_WORD})\b)|\d${GAP_CHARS}(?:${NUMBER_WORD})\b`, 'i');

interface Token {
  word: string;
  start: number;
  end: number;
}

interface NumberWord {
  digits: string;
  values: number[];
  spoken: boolean;
  next: number;
}

interface Run {
  start: number;
  end: number;
  digits: string;
  values: number[];
  spoken: boolean;
}

export function findSpokenPhones(text: string): ContactCandidate[] {
  if (!NUMBER_WORD_PAIR.test(text)) return [];
  const tokens: Token[] = [...text.matchAll(TOKEN)].map((m) => ({ word: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length }));
  const out: ContactCandidate[] = [];
  let run: Run | null = null;
  const flush = () => {
    if (run && run.spoken && run.digits.length >= MIN_DIGITS && !isProgression(run.values)) {
      out.push({ kind: 'phone', start: run.start, end: run.end });
    }
    run = null;
  };
  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i];
    const read = readNumberWord(text, tokens, i);
    if (!read) {
      flush();
      i += 1;
      continue;
    }
    if (run && !GAP.test(text.slice(run.end, t.start))) flush();
    if (!run && t.word === 'oh' && /[,.!?]/.test(text.slice(t.end, tokens[i + 1]?.start ?? t.end))) {
      i += 1; // "Oh, one two three …": an interjection, not a zero
      continue;
    }
    run ??= { start: t.start, end: t.end, digits: '', values: [], spoken: false };
    run.digits += read.digits;
    run.values.push(...read.values);
    run.spoken ||= read.spoken;
    run.end = tokens[read.next - 1].end;
    i = read.next;
  }
  flush();
  return out;
}

function readNumberWord(text: string, tokens: Token[], i: number): NumberWord | null {
  const w = tokens[i].word;
  const next = tokens[i + 1];
  const joined = next !== undefined && GAP.test(text.slice(tokens[i].end, next.start));
  if (/^\d{1,4}$/.test(w)) return { digits: w, values: [Number(w)], spoken: false, next: i + 1 };
  if (w in DIGITS) return { digits: String(DIGITS[w]), values: [DIGITS[w]], spoken: true, next: i + 1 };
  if (w in TEENS) return { digits: String(TEENS[w]), values: [TEENS[w]], spoken: true, next: i + 1 };
  if (w in TENS) {
    const unit = joined ? DIGITS[next.word] : undefined;
    if (unit !== undefined && unit > 0 && next.word !== 'oh') {
      return { digits: String(TENS[w] + unit), values: [TENS[w] + unit], spoken: true, next: i + 2 };
    }
    return { digits: String(TENS[w]), values: [TENS[w]], spoken: true, next: i + 1 };
  }
  if (w in REPEATS && joined && next.word in DIGITS) {
    const d = DIGITS[next.word];
    return { digits: String(d).repeat(REPEATS[w]), values: Array(REPEATS[w]).fill(d), spoken: true, next: i + 2 };
  }
  return null;
}

/**
 * Counting, not a number: three or more values stepping evenly (1 2 3 4 …, 21 22 23 …, 10 20 30 …),
 * or single digits stepping by one around the dial (… 8 9 0 1).
 */
export function isProgression(values: readonly number[]): boolean {
  if (values.length < 3) return false;
  const steps = values.slice(1).map((v, k) => v - values[k]);
  if (steps[0] !== 0 && steps.every((s) => s === steps[0])) return true;
  if (!values.every((v) => v < 10)) return false;
  const dial = steps.map((s) => (s + 10) % 10);
  return (dial[0] === 1 || dial[0] === 9) && dial.every((s) => s === dial[0]);
}
