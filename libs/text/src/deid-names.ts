import { FUNCTION_WORDS, NameLexicon, WordClass } from './deid-lexicon';
import { cueBefore, HONORIFICS, isMonthOrSeason, MODALS, nameCueAfter, ordinaryByContext, weakCueBefore } from './deid-name-cues';
import { CompiledRoster, findRosterNames, NameSpan } from './deid-roster';
import { joinedAsName, WordToken, wordTokens } from './deid-tokens';

/**
 * Every person named in running text: roster names in all their forms (deid-roster.ts), then
 * anyone else, from the lexicon and the cues around each word (deid-name-cues.ts):
 *   a given name, capitalised                  "I played with Liam", "Olivia is here"
 *   a given name in lower case, with a cue      "my friend jake", "hi priya!", "liam said"
 *   a name that is also a word                  "I saw Mark", "Will, read it" — never "Mark the answer",
 *                                               "Will you", "the Will", "Grace period", "in June"
 *   a month or a season                         only with a cue: "my sister June", "Summer said"
 *   a surname or a word the lexicon lacks       only with a cue: "Mrs Okafor", "my cousin Xiomara",
 *                                               "Aarav said", "hi Zephyrine!", "I told Dmitri"
 * A name then takes the capitalised words that follow it and are not ordinary words ("Liam
 * Okafor-Reyes", "Jane D."), and neighbouring names become one span.
 */
export function findNames(text: string, roster: CompiledRoster, lexicon: NameLexicon): NameSpan[] {
  const tokens = wordTokens(text);
  if (tokens.length === 0) return [];
  const named: boolean[] = new Array(tokens.length).fill(false);
  findRosterNames(text, tokens, roster, named);
  const classes = tokens.map((t) => lexicon.classify(t.folded));
  for (let i = 0; i < tokens.length; i += 1) {
    if (!named[i] && isOtherName(text, tokens, classes, i)) named[i] = true;
  }
  for (let i = 1; i < tokens.length; i += 1) {
    if (!named[i] && named[i - 1] && continuesName(text, tokens, classes, i)) named[i] = true;
  }
  const out: NameSpan[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    if (!named[i]) continue;
    const last = out[out.length - 1];
    if (last && named[i - 1] && joinedAsName(text, tokens[i - 1], tokens[i])) last.end = tokens[i].end;
    else out.push({ start: tokens[i].start, end: tokens[i].end });
  }
  return out;
}

/** Honorifics that are never a word of their own: "Mr smith" is a name whatever its case, "miss school" is not. */
const PURE_TITLES = new Set(['mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'sr', 'sra', 'mme', 'mlle']);
/** "You've", "they'll", "I'm": never a name, whatever the lexicon says. */
const CONTRACTION = /'(?:ve|re|ll|d|m|t)$/;

function isOtherName(text: string, tokens: readonly WordToken[], classes: ReadonlyArray<WordClass | undefined>, i: number): boolean {
  const t = tokens[i];
  let cls = classes[i];
  if (HONORIFICS.has(t.folded) || CONTRACTION.test(t.folded)) return false;
  if (FUNCTION_WORDS.has(t.folded) && cls !== 'ambiguous' && cls !== 'name') return false;
  // An adverb the lexicon lacks ("Honestly, …") is an ordinary word; names ending in -ly are in it.
  if (cls === undefined && /^\p{L}{3,}ly$/u.test(t.folded)) cls = 'word';
  const prev = tokens[i - 1];
  if (prev && HONORIFICS.has(prev.folded) && /^\.?[ \t]{1,2}$/.test(text.slice(prev.end, t.start))) {
    if (t.capitalised || PURE_TITLES.has(prev.folded) || cls === 'name') return !FUNCTION_WORDS.has(t.folded);
    // "grandpa earl is so excited", "aunt june said": a lower-case word after a family title.
    if (cls === 'ambiguous' && !MODALS.has(t.folded)) return true;
    if (cls !== 'surname' && !/(?:s|ed|ing)$/.test(t.folded) && nameCueAfter(text, tokens, i)) return true;
  }
  const cue = cueBefore(text, tokens, i);
  const cued = () => cue !== null || weakCueBefore(text, tokens, i) || nameCueAfter(text, tokens, i, 'speech');
  switch (cls) {
    case 'name':
      return t.capitalised ? !ordinaryByContext(text, tokens, i) : cued();
    case 'ambiguous':
      // "my sister hope", "max saw a squirrel"; never "my brother will help".
      if (!t.capitalised) return (cue === 'relation' || nameCueAfter(text, tokens, i, 'speech')) && !MODALS.has(t.folded);
      if (ordinaryByContext(text, tokens, i)) return false;
      if (isMonthOrSeason(t.folded)) return cued();
      return !t.sentenceStart || cue !== null || nameCueAfter(text, tokens, i);
    case 'surname':
      return t.capitalised && cued();
    case 'word':
      // "my cousin Sunny"; in lower case only with a verb of speech after it: "my uncle raj said".
      return cue === 'relation' && (t.capitalised || nameCueAfter(text, tokens, i, 'speech'));
    default:
      // A word the lexicon does not know: "my uncle raj said", "Xiomara, can you", "hi Zephyrine!".
      if (!t.capitalised) return cue === 'relation' && !/(?:s|ed|ing)$/.test(t.folded) && nameCueAfter(text, tokens, i);
      return cued() || (t.sentenceStart && /^\s*,/.test(text.slice(t.end, t.end + 3)));
  }
}

/** "Liam Okafor", "Ana Rivera-Soto", "Jane D.": what follows a name and still belongs to it. */
function continuesName(text: string, tokens: readonly WordToken[], classes: ReadonlyArray<WordClass | undefined>, i: number): boolean {
  const t = tokens[i];
  if (!joinedAsName(text, tokens[i - 1], t)) return false;
  // "Soon-ja", "Jean-luc": after a hyphen the rest of a name may be in lower case.
  if (!t.capitalised && !/[-\u2010\u2011]/.test(text.slice(tokens[i - 1].end, t.start))) return false;
  if (t.text.length === 1) return /^\./.test(text.slice(t.end, t.end + 1)) || t.end === text.length;
  const cls = classes[i];
  return cls !== 'word' && !FUNCTION_WORDS.has(t.folded) && !ordinaryByContext(text, tokens, i);
}
