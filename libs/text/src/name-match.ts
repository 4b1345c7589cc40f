/**
 * Matching a Zoom display name (a transcript speaker label, a participant audio file name) to a
 * person on the session's roster. CONTRACT "Talk-time definitions": labels match when they differ
 * only in case, spacing, Unicode normalisation, accents, apostrophe style, a hyphen written as a
 * space, a trailing parenthetical, an abbreviated surname, or by being a unique first name.
 * Anything else matches nobody: we never guess.
 */
export interface RosterName {
  personId: string;
  displayName: string;
}

export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`\u00b4]/g, "'")
    .replace(/(\s*\([^()]*\))+\s*$/u, '')
    .replace(/[-\u2010-\u2015]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function tokens(name: string): string[] {
  return normaliseName(name).split(' ').filter(Boolean);
}

/** "jane d." ~ "jane doe": same words but the last, which one side abbreviates to its initial. */
function abbreviatedSurname(a: string[], b: string[]): boolean {
  if (a.length !== b.length || a.length < 2) return false;
  if (a.slice(0, -1).join(' ') !== b.slice(0, -1).join(' ')) return false;
  const [x, y] = [a[a.length - 1], b[b.length - 1]];
  const initial = (t: string) => /^\p{L}\.?$/u.test(t);
  if (initial(x) && !initial(y)) return y.startsWith(x.replace('.', ''));
  if (initial(y) && !initial(x)) return x.startsWith(y.replace('.', ''));
  return initial(x) && initial(y) && x.replace('.', '') === y.replace('.', '');
}

/**
 * "ana r." ~ "Ana Rivera-Soto": a hyphenated surname is one surname, abbreviated to one initial,
 * although its parts count as separate words everywhere else.
 */
function abbreviatedHyphenatedSurname(abbreviated: string[], fullName: string): boolean {
  const words = fullName.replace(/(\s*\([^()]*\))+\s*$/u, '').trim().split(/\s+/);
  const surname = words[words.length - 1];
  if (words.length < 2 || !/[-\u2010-\u2015]/.test(surname)) return false;
  const full = [...tokens(words.slice(0, -1).join(' ')), tokens(surname).join('')];
  return abbreviatedSurname(abbreviated, full);
}

export function namesMatch(label: string, displayName: string): boolean {
  const a = tokens(label);
  const b = tokens(displayName);
  if (a.length === 0 || b.length === 0) return false;
  return (
    a.join(' ') === b.join(' ') ||
    abbreviatedSurname(a, b) ||
    abbreviatedHyphenatedSurname(a, displayName) ||
    abbreviatedHyphenatedSurname(b, label)
  );
}

/** The roster person a label names, or null when it names nobody or could name several. */
export function matchRosterName<T extends RosterName>(label: string, roster: readonly T[]): T | null {
  const direct = roster.filter((p) => namesMatch(label, p.displayName));
  if (direct.length === 1) return direct[0];
  if (direct.length > 1) return null;
  const words = tokens(label);
  if (words.length !== 1) return null;
  const byFirstName = roster.filter((p) => tokens(p.displayName)[0] === words[0]);
  return byFirstName.length === 1 ? byFirstName[0] : null;
}
