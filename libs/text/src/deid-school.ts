import type { NameLexicon } from './deid-lexicon';
import { FUNCTION_WORDS } from './deid-lexicon';
import { WordToken, wordTokens } from './deid-tokens';

/**
 * School names: one to four name words before a school word, capitalised as a name is
 * ("Lincoln High School", "St Mary's Primary", "Westfield Academy", "Oak Ridge Middle School",
 * "Boston College"), or in lower case when the word before the school word is not an ordinary word
 * ("westfield academy", "lincoln high"); and New York's numbered schools ("P.S. 123", "MS 51").
 * Not schools: "high school", "my old middle school", "a good college", "So High", and the
 * learning sites tutors send learners to ("Khan Academy").
 */
const SCHOOL_WORDS: ReadonlyArray<readonly string[]> = [
  ['high', 'school'], ['middle', 'school'], ['elementary', 'school'], ['primary', 'school'], ['junior', 'high'], ['junior', 'school'],
  ['secondary', 'school'], ['grammar', 'school'], ['prep', 'school'], ['preparatory', 'school'], ['charter', 'school'], ['day', 'school'],
  ['community', 'college'], ['sixth', 'form'], ['high'], ['elementary'], ['primary'], ['academy'], ['college'], ['university'],
  ['school'], ['prep'], ['montessori'],
];
/** Learning sites and programmes with a school word in their name: material, not a school. */
const NOT_SCHOOLS = new Set(['khan academy', 'math academy', 'ck academy', 'college board', 'school house', 'middle school']);
/** Words that may sit inside a school's name without being capitalised. */
const INNER = new Set(['of', 'the', 'for', 'st', 'saint']);
const NUMBERED = /(?<![\w.])(?:P\.?S\.?|M\.?S\.?|I\.?S\.?|J\.?H\.?S\.?|H\.?S\.?)[ ]?\d{1,3}(?![\w])/g;
/** "Lycée Victor Hugo", "Colegio San José", "École Jules Ferry": the school word first. */
const SCHOOL_WORD_FIRST =
  /(?<!\p{L})(?:Lyc[ée]e|Coll\u00e8ge|[ÉE]cole|Escuela|Colegio|Instituto|Gymnasium|Liceo|Scuola)[ \t]+(?:(?:de|du|des|la|le|del|di|d')[ \t]+)*\p{Lu}[\p{L}'-]+(?:[ \t]+\p{Lu}[\p{L}'-]+){0,3}/gu;
/** "UC Davis"; "Penn State", "Ohio State" where the talk is of applying or studying there. */
const UC_CAMPUS = /\bUC[ \t]+[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?\b/g;
const STATE_SCHOOL = /\b[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?[ \t]+State\b(?![ \t]+(?:of|[A-Z]))/g;
const STUDY_TALK = /\b(?:appl(?:y|ying|ied)|college|university|uni|school|got into|accepted|admitted|attend(?:s|ing)?|campus|major|freshman|transfer)\b/i;

export interface SchoolSpan {
  start: number;
  end: number;
}

export function findSchools(text: string, lexicon: NameLexicon): SchoolSpan[] {
  const out: SchoolSpan[] = [];
  if (!/high|school|academy|college|elementary|primary|prep|university|sixth|montessori/i.test(text)) return numbered(text, out);
  const tokens = wordTokens(text);
  for (let i = 1; i < tokens.length; i += 1) {
    const suffix = schoolWordAt(tokens, i);
    if (!suffix) continue;
    const first = nameStart(text, tokens, i, lexicon);
    if (first === null) continue;
    const name = tokens.slice(first, i + suffix).map((t) => t.folded).join(' ');
    if (NOT_SCHOOLS.has(name)) continue;
    out.push({ start: tokens[first].start, end: tokens[i + suffix - 1].end });
    i += suffix - 1;
  }
  return numbered(text, out);
}

function numbered(text: string, out: SchoolSpan[]): SchoolSpan[] {
  if (/\d/.test(text)) for (const m of text.matchAll(NUMBERED)) out.push({ start: m.index, end: m.index + m[0].length });
  for (const m of text.matchAll(SCHOOL_WORD_FIRST)) out.push({ start: m.index, end: m.index + m[0].length });
  if (text.includes('UC')) for (const m of text.matchAll(UC_CAMPUS)) out.push({ start: m.index, end: m.index + m[0].length });
  if (text.includes('State')) {
    for (const m of text.matchAll(STATE_SCHOOL)) {
      const around = text.slice(Math.max(0, m.index - 60), m.index + m[0].length + 40);
      if (STUDY_TALK.test(around)) out.push({ start: m.index + (/^(?:The|At|To|And|Or)\s/.test(m[0]) ? m[0].indexOf(' ') + 1 : 0), end: m.index + m[0].length });
    }
  }
  return out;
}

/** How many words of a school word start at i (0 when none). */
function schoolWordAt(tokens: readonly WordToken[], i: number): number {
  for (const words of SCHOOL_WORDS) {
    if (words.every((w, k) => tokens[i + k]?.folded === w)) return words.length;
  }
  return 0;
}

/**
 * The first word of the school's name ending just before `i`, or null when no name stands there.
 * Capitalised school words take capitalised name words (and "of", "the", "St" inside); a lower-case
 * school word takes one word that the lexicon does not know as an ordinary word.
 */
function nameStart(text: string, tokens: readonly WordToken[], i: number, lexicon: NameLexicon): number | null {
  const capitalisedSuffix = tokens[i].capitalised;
  let first = i;
  for (let k = i - 1; k >= Math.max(0, i - 5); k -= 1) {
    const t = tokens[k];
    if (!/^[ \t.'\u2019]{1,3}$|^'s[ \t]$|^\u2019s[ \t]$/.test(text.slice(t.end, tokens[k + 1].start))) break;
    if (capitalisedSuffix ? !(t.capitalised || (INNER.has(t.folded) && k < i - 1)) : !isNameWord(t, lexicon)) break;
    if (FUNCTION_WORDS.has(t.folded) && !INNER.has(t.folded)) break;
    first = k;
    if (!capitalisedSuffix) break;
  }
  while (first < i && INNER.has(tokens[first].folded) && !['st', 'saint'].includes(tokens[first].folded)) first += 1;
  if (first === i) return null;
  // "So High", "Really High": an ordinary word alone before a bare "High" is not a school's name.
  if (tokens[i].folded === 'high' && schoolWordAt(tokens, i) === 1 && first === i - 1 && lexicon.classify(tokens[first].folded) === 'word') {
    return null;
  }
  return first;
}

function isNameWord(t: WordToken, lexicon: NameLexicon): boolean {
  const cls = lexicon.classify(t.folded);
  return cls !== 'word' && !FUNCTION_WORDS.has(t.folded);
}
