import type { NameLexicon } from './deid-lexicon';
import { cueBefore, MODALS, nameCueAfter, ordinaryByContext } from './deid-name-cues';
import { joinedAsName, WordToken } from './deid-tokens';
import { matchRosterName, namesMatch, normaliseName } from './name-match';
import { foldWord } from './text-fold';

/**
 * The roster as de-identification uses it: the label each person's speaker label becomes, and every
 * form of their name that running text may use — the full name, each of its words (first, middle,
 * last, each half of a hyphenated surname), their nicknames — matched whatever the case, accents or
 * apostrophe style, with or without a possessive. A form that is also an ordinary word ("Will",
 * "Grace", "Young") or two letters long counts only where the context makes it a name
 * (deid-name-cues.ts): "Will, read it" is Will, "I will read it" is not.
 */
export interface DeidRosterPerson {
  personId: string;
  displayName: string;
  role: 'tutor' | 'learner' | 'parent';
  nicknames?: string[];
}

interface NameForm {
  words: string[];
  personId: string;
  ambiguous: boolean;
}

export interface CompiledRoster {
  people: readonly DeidRosterPerson[];
  labelOf: (person: DeidRosterPerson) => string;
  /** Name forms by their first word, longest first. */
  forms: Map<string, NameForm[]>;
  /** Display names and nicknames: Zoom chat's "@Name" mentions are names here, not social handles. */
  mentionNames: string[];
  /** Speaker labels already matched, and what each became. */
  labels: Map<string, string>;
}

const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'professor', 'coach', 'sir', 'mme', 'mlle', 'sr', 'sra', 'senor', 'senora', 'madame', 'mister']);
/** Name particles that are not a name on their own: "José de la Cruz", "Siobhán Ní Bhriain". */
const PARTICLES = new Set(['de', 'da', 'di', 'do', 'du', 'del', 'della', 'la', 'le', 'van', 'von', 'der', 'den', 'ter', 'bin', 'bint', 'al', 'el', 'ni', 'nic', 'mac', 'y', 'e']);

/** [TUTOR], [LEARNER 1], [LEARNER 2], [PARENT 1] in roster order; a second tutor is [TUTOR 2]. */
export function defaultLabels(roster: readonly DeidRosterPerson[]): (person: DeidRosterPerson) => string {
  const labels = new Map<string, string>();
  const seen = { tutor: 0, learner: 0, parent: 0 };
  for (const p of roster) {
    seen[p.role] += 1;
    const n = seen[p.role];
    labels.set(p.personId, p.role === 'tutor' ? (n === 1 ? '[TUTOR]' : `[TUTOR ${n}]`) : `[${p.role.toUpperCase()} ${n}]`);
  }
  return (person) => labels.get(person.personId) ?? '[PERSON]';
}

export function compileRoster(roster: readonly DeidRosterPerson[], lexicon: NameLexicon, labelFor?: (p: DeidRosterPerson) => string): CompiledRoster {
  const forms = new Map<string, NameForm[]>();
  const add = (words: string[], personId: string) => {
    if (words.length === 0) return;
    const single = words.length === 1;
    const cls = single ? lexicon.classify(words[0]) : undefined;
    const ambiguous = single && (cls === 'ambiguous' || cls === 'word' || words[0].replace(/'/g, '').length <= 2);
    const list = forms.get(words[0]) ?? [];
    if (list.some((f) => f.personId === personId && f.words.join(' ') === words.join(' '))) return;
    list.push({ words, personId, ambiguous });
    list.sort((a, b) => b.words.length - a.words.length);
    forms.set(words[0], list);
  };
  for (const person of roster) {
    for (const name of [person.displayName, ...(person.nicknames ?? [])]) {
      const words = nameWords(name);
      add(words, person.personId);
      for (const w of words) if (!PARTICLES.has(w) && !/^\p{L}\.?$/u.test(w)) add([w.replace(/\.$/, '')], person.personId);
      // "Sun-hee", "Rivera-Soto": a hyphenated word is a name of its own, whatever its halves are.
      for (const word of name.split(/\s+/)) if (/\p{L}[-\u2010\u2011]\p{L}/u.test(word)) add(nameWords(word), person.personId);
    }
  }
  return {
    people: roster,
    labelOf: labelFor ?? defaultLabels(roster),
    forms,
    mentionNames: roster.flatMap((p) => [p.displayName, ...(p.nicknames ?? [])]),
    labels: new Map(),
  };
}

/** "Ms Ana Rivera-Soto (she/her)" → ["ana", "rivera", "soto"]. */
function nameWords(name: string): string[] {
  const words = normaliseName(name).split(' ').filter(Boolean).map(foldWord);
  let k = 0;
  while (k < words.length - 1 && TITLES.has(words[k].replace(/\.$/, ''))) k += 1;
  return words.slice(k);
}

/** The roster person a speaker label or chat sender names (CONTRACT matching rules, then nicknames), or null. */
export function personOfLabel(label: string, roster: CompiledRoster): DeidRosterPerson | null {
  const direct = matchRosterName(label.trim(), roster.people);
  if (direct) return direct;
  // A title says nothing about who it is: "Ms Rivera" is "Ms Ana Rivera"'s when she is the only Rivera.
  const plain = nameWords(label).join(' ');
  const titled = plain !== normaliseName(label).split(' ').map(foldWord).join(' ');
  const untitled = plain === '' ? [] : roster.people.filter((p) => untitledMatch(plain, p.displayName, titled));
  if (untitled.length === 1) return untitled[0];
  const byNickname = roster.people.filter((p) => (p.nicknames ?? []).some((n) => namesMatch(label, n)));
  return byNickname.length === 1 ? byNickname[0] : null;
}

/** The label without its title is the display name without its, or (after a title) its surname alone. */
function untitledMatch(plainLabel: string, displayName: string, titled: boolean): boolean {
  const words = nameWords(displayName);
  if (plainLabel === words.join(' ') || namesMatch(plainLabel, words.join(' '))) return true;
  return titled && !plainLabel.includes(' ') && words.length > 1 && words[words.length - 1] === plainLabel;
}

export interface NameSpan {
  start: number;
  end: number;
}

/** Spans of roster names in running text; `claimed[i]` marks tokens that are part of one. */
export function findRosterNames(text: string, tokens: readonly WordToken[], roster: CompiledRoster, claimed: boolean[]): NameSpan[] {
  const out: NameSpan[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const candidates = roster.forms.get(tokens[i].folded);
    if (!candidates) continue;
    const form = candidates.find((f) => formAt(text, tokens, i, f));
    if (!form) continue;
    const last = tokens[i + form.words.length - 1];
    out.push({ start: tokens[i].start, end: last.end });
    for (let k = i; k < i + form.words.length; k += 1) claimed[k] = true;
    i += form.words.length - 1;
  }
  return out;
}

function formAt(text: string, tokens: readonly WordToken[], i: number, form: NameForm): boolean {
  for (let k = 1; k < form.words.length; k += 1) {
    const t = tokens[i + k];
    if (!t || t.folded !== form.words[k] || !joinedAsName(text, tokens[i + k - 1], t)) return false;
  }
  if (!form.ambiguous) return true;
  const t = tokens[i];
  const cue = cueBefore(text, tokens, i);
  // "Mr will" whatever its case; "my sister hope" and "my brother Will", but not "my brother will help".
  if (cue === 'honorific' || (cue === 'relation' && (t.capitalised || !MODALS.has(t.folded)))) return true;
  if (nameCueAfter(text, tokens, i, 'speech')) return true;
  if (!t.capitalised || ordinaryByContext(text, tokens, i)) return false;
  // On the roster, "Hope is here" is Hope: the abstract sense does not win.
  return !t.sentenceStart || nameCueAfter(text, tokens, i, 'any', false);
}
