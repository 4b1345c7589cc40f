import { foldWord } from './text-fold';

/**
 * The words of one piece of running text (a cue line, a chat message), with what name detection
 * reads from them: the folded form, whether the word is capitalised, and whether it opens a
 * sentence — where a capital says nothing. A possessive "'s" is not part of the word ("Elisa's" →
 * "Elisa"), an apostrophe inside one is ("O'Brien", "don't"); a hyphen parts two words
 * ("Rivera-Soto"), and the matcher joins them back where a name has them.
 */
export interface WordToken {
  start: number;
  end: number;
  text: string;
  folded: string;
  /** A capital first letter and not all capitals ("LOL", "SAT" say nothing by their case). */
  capitalised: boolean;
  /** The first word of the text or of a sentence in it (after . ! ? : ; … or a line break). */
  sentenceStart: boolean;
}

const WORD = /(?<!\p{L}['\u2019])\p{L}[\p{L}\p{M}]*(?:['\u2019](?![sS](?![\p{L}]))\p{L}[\p{L}\p{M}]*)*/gu;
const SENTENCE_END = /[.!?:;\u2026\n]/;
/** A full stop after these does not end a sentence: "Mr. Lee", "St. Mary's", "J. Smith". */
const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'mx', 'dr', 'st', 'prof', 'jr', 'sr', 'vs', 'etc', 'mt', 'ft']);

export function wordTokens(text: string): WordToken[] {
  const out: WordToken[] = [];
  for (const m of text.matchAll(WORD)) {
    const word = m[0];
    const start = m.index;
    const previous = out[out.length - 1];
    const gap = previous ? text.slice(previous.end, start) : '';
    const abbreviated = previous && (ABBREVIATIONS.has(previous.folded) || previous.text.length === 1) && /^\.\s*$/.test(gap);
    out.push({
      start,
      end: start + word.length,
      text: word,
      folded: foldWord(word),
      capitalised: /^\p{Lu}/u.test(word) && (word.length === 1 || /\p{Ll}/u.test(word)),
      sentenceStart: !previous || (SENTENCE_END.test(gap) && !abbreviated),
    });
  }
  return out;
}

/** Only spaces or one hyphen between two words: the parts of one name ("Rivera-Soto", "Liam  Okafor"). */
export function joinedAsName(text: string, a: WordToken, b: WordToken): boolean {
  return /^(?:[ \t]{1,3}|[ \t]?[-\u2010\u2011][ \t]?)$/.test(text.slice(a.end, b.start));
}
