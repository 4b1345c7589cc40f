import type { WordToken } from './deid-tokens';

/**
 * The context that tells a name from an ordinary word that looks like one ("I told Will" / "Will
 * you read it?", "my sister June" / "in June", "Grace said" / "Grace period"). Each rule reads the
 * words next to the candidate only; docs/research.md "De-identification" lists them with examples.
 */
const DETERMINERS = new Set('a an the this that these those every each no any some your our their its his her my another'.split(' '));
export const MONTHS_AND_SEASONS = new Set('may june april august march summer autumn winter spring'.split(' '));
const DATE_WORDS = new Set(
  'in on since by until till from through thru last next this early late mid during before after between every of around'.split(' '),
);
/** "Grace period", "Summer break", "Bill of Rights", "May Day": a compound, not a person. */
const COMPOUND_AFTER = new Set('period periods of day days break holiday holidays vacation term camp school semester time bowl'.split(' '));
const SPEECH_VERBS = new Set(
  ('said says say told tells asked asks thinks thought wants wanted texted messaged called emailed replied answered wrote ' +
    'yelled shouted laughed cried came comes left went goes got gets helped helps explained showed knows saw').split(' '),
);
const STATE_VERBS = new Set(
  "is was has had isn't wasn't hasn't does did doesn't didn't can can't could couldn't would wouldn't won't".split(' '),
);
/** Nouns whose sense is the abstract one when "is" follows: "Hope is a virtue". */
const ABSTRACT = new Set('hope faith joy grace art dawn charity patience mercy destiny harmony heaven honey'.split(' '));
export const HONORIFICS = new Set(
  ('mr mrs ms miss mx dr prof professor coach aunt auntie aunty uncle grandma grandpa granny nana nan cousin madame ' +
    'mister senor senora señor señora sra sr mme mlle')
    .split(' '),
);
const RELATIONS = new Set(
  ('brother brothers bro sister sisters sis friend friends bestie bff cousin cousins teacher tutor mum mom dad mother father stepmom ' +
    'stepmum stepdad stepbrother stepsister aunt uncle grandma grandpa nan nana granny neighbour neighbor classmate buddy ' +
    'boyfriend girlfriend son daughter niece nephew babysitter principal headteacher counselor counsellor coach twin ' +
    'partner roommate crush grandmother grandfather grandmom granddad grandparent godmother godfather stepfather ' +
    'stepmother name')
    .split(' '),
);
/** Modal verbs that are also names: after "my brother", "will" is still the verb ("my brother will help"). */
export const MODALS = new Set('will may might can must shall could would should'.split(' '));
const POSSESSIVES = new Set('my our his her their your whose'.split(' '));
const NAMING = new Set('named called'.split(' '));
const GREETINGS = new Set('hi hey hello hiya dear thanks thank bye goodbye morning night congrats congratulations welcome sorry'.split(' '));
/** Verbs whose object is a person more often than not: "I told Xiomara", "we met Aarav". */
const PERSON_OBJECT_VERBS = new Set('told tell tells ask asked asks invite invited meet met texted messaged hugged visited'.split(' '));

const spacesOnly = (text: string, from: number, to: number) => /^[ \t]{1,3}$/.test(text.slice(from, to));

/** Places that are also given names: after "in", "to", "from" they are the place ("the history of Austin"). */
const PLACES = new Set('austin sydney victoria jordan georgia virginia florence chelsea charlotte madison brooklyn dakota savannah paris'.split(' '));
const LOCATIVES = new Set('in to from of at near visit visited around outside across through'.split(' '));

/** The word is used as an ordinary word here whatever its case: "the Will", "in May", "Grace period", "to Austin". */
export function ordinaryByContext(text: string, tokens: readonly WordToken[], i: number): boolean {
  const t = tokens[i];
  const prev = tokens[i - 1];
  const next = tokens[i + 1];
  if (prev && !t.sentenceStart && DETERMINERS.has(prev.folded) && spacesOnly(text, prev.end, t.start)) return true;
  if (next && COMPOUND_AFTER.has(next.folded) && spacesOnly(text, t.end, next.start)) return true;
  if (prev && !t.sentenceStart && PLACES.has(t.folded) && LOCATIVES.has(prev.folded)) return true;
  if (!MONTHS_AND_SEASONS.has(t.folded)) return false;
  if (prev && !t.sentenceStart && DATE_WORDS.has(prev.folded)) return true;
  return /\d(?:st|nd|rd|th)?\s*(?:of\s+)?$/i.test(text.slice(Math.max(0, t.start - 8), t.start)) || /^\s*\d/.test(text.slice(t.end, t.end + 3));
}

/**
 * What follows says a person: "Mark said", "Will is", "Grace, can you", "Mark's", "Rose and I".
 * `abstract: false` lets "is" count after a word like "Hope" (a roster name: "Hope is here").
 */
export function nameCueAfter(text: string, tokens: readonly WordToken[], i: number, strength: 'any' | 'speech' = 'any', abstract = true): boolean {
  const t = tokens[i];
  const next = tokens[i + 1];
  const after = text.slice(t.end, next ? next.start : text.length);
  if (next && SPEECH_VERBS.has(next.folded) && spacesOnly(text, t.end, next.start)) return true;
  if (strength === 'speech') return false;
  if (/^['\u2019]s\b/.test(text.slice(t.end, t.end + 3)) && !MONTHS_AND_SEASONS.has(t.folded)) return true;
  if (/^\s*[,!?]/.test(after) && !/^\s*,\s*\d/.test(text.slice(t.end, t.end + 6))) return true;
  if (!next) return /^[\s.!?)"'\u201d]*$/.test(after);
  if (STATE_VERBS.has(next.folded) && spacesOnly(text, t.end, next.start)) return !(abstract && ABSTRACT.has(t.folded)) && !MONTHS_AND_SEASONS.has(t.folded);
  const then = tokens[i + 2];
  return next.folded === 'and' && then !== undefined && (then.folded === 'i' || then.folded === 'me');
}

export type CueBefore = 'honorific' | 'relation' | null;

/**
 * What comes before says a person: an honorific ("Mrs Patel", "Coach Dan"), a relation ("my little
 * brother Will", "Grace's grandmother, Soon-ja", "my sister is May", "my name is Kenji"),
 * "named"/"called".
 */
export function cueBefore(text: string, tokens: readonly WordToken[], i: number): CueBefore {
  const prev = tokens[i - 1];
  if (!prev) return null;
  if (HONORIFICS.has(prev.folded)) return 'honorific';
  if (NAMING.has(prev.folded)) return 'relation';
  // "my mom's birthday" is hers, not a name: a relation then "'s" names nobody.
  if (isRelation(text, tokens, i - 1)) return /^['\u2019]s\b/.test(text.slice(prev.end, prev.end + 3)) ? null : 'relation';
  if ((prev.folded === 'is' || prev.folded === 'was') && i >= 2 && isRelation(text, tokens, i - 2)) return 'relation';
  return null;
}

/** A relation noun owned by someone: "my (little) brother", "her best friend", "Grace's grandmother". */
function isRelation(text: string, tokens: readonly WordToken[], r: number): boolean {
  if (!RELATIONS.has(tokens[r].folded)) return false;
  if (r > 0 && /['\u2019]s\s+$/.test(text.slice(tokens[r - 1].end, tokens[r].start))) return true;
  for (let k = r - 1; k >= Math.max(0, r - 4); k -= 1) if (POSSESSIVES.has(tokens[k].folded)) return true;
  return false;
}

/** "Hi Xiomara!", "thanks Grace", "told Aarav", "me and liam". */
export function weakCueBefore(text: string, tokens: readonly WordToken[], i: number): boolean {
  const prev = tokens[i - 1];
  if (!prev || tokens[i].sentenceStart) return false;
  if (PERSON_OBJECT_VERBS.has(prev.folded)) return true;
  if (prev.folded === 'and' && i >= 2 && ['me', 'i', 'you', 'him', 'us'].includes(tokens[i - 2].folded)) return true;
  if (!GREETINGS.has(prev.folded)) return false;
  const next = tokens[i + 1];
  return /^[\s,]*$/.test(text.slice(prev.end, tokens[i].start)) && (!next || /[,.!?\n]/.test(text.slice(tokens[i].end, next.start)));
}

export function isMonthOrSeason(folded: string): boolean {
  return MONTHS_AND_SEASONS.has(folded);
}
