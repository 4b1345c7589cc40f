import type { ContactCandidate } from './contact-candidate';

/**
 * Emails and links. Every quantifier is bounded and neighbouring parts cannot match the same
 * characters, so a pathological line costs time linear in its length (no catastrophic backtracking).
 *
 * A literal `name@domain.tld` needs a dotted domain with an alphabetic TLD of two letters or more, so
 * formulas (`x@2 + y`, `3 @ 4`, `a.b@c`, numpy's `A@B.T`) are not emails. Spelled-out forms ("jane dot
 * doe at gmail dot com", "jane(at)gmail.com", "jane @ gmail.com") need a TLD from a short list. The
 * plain word "at" makes an email only with a spelled-out dot or a mail provider ("jane at gmail.com")
 * and not after an ordinary word: "the worksheet at khanacademy.org" and "look at gmail.com" are links.
 * A bare domain needs a TLD that is not also an English word, so "e.g.", "3.14" and "it.is" stay text.
 */
const EMAIL_TLDS = 'com|org|net|edu|gov|io|co|uk|us|ca|au|nz|ie|de|fr|es|nl|eu|me|info|biz|ac';
const LINK_TLDS =
  'com|org|net|edu|gov|mil|io|co|uk|us|ca|au|nz|ie|de|fr|es|nl|eu|ch|gg|ly|me|app|dev|ai|tv|info|biz|xyz|online|site|club|tech|link';
const SPOKEN_LINK_TLDS = 'com|org|net|edu|gov|io|gg|co|uk|us|me|app|tv';

const DOT_WORD = String.raw`(?:\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+)`;
const AT_WORD = String.raw`(?:\s+@\s*|\s*@\s+|\s*[(\[{<]\s*at\s*[)\]}>]\s*|\s+at\s+)`;
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';

const PLAIN_EMAIL = new RegExp(String.raw`(?<![\w.%+-])[a-z0-9][a-z0-9._%+-]{0,63}@((?:${LABEL}\.){1,6}[a-z]{2,24})(?![\w-])`, 'gi');
const SPELLED_EMAIL = new RegExp(
  String.raw`(?<![\w.%+-])([a-z0-9][a-z0-9._%+-]{0,63}(?:${DOT_WORD}[a-z0-9][a-z0-9_%+-]{0,63}){0,4})(${AT_WORD})` +
    String.raw`((?:[a-z0-9][a-z0-9-]{0,62}(?:\.|${DOT_WORD})){1,4}(?:${EMAIL_TLDS}))(?![\w-])`,
  'gi',
);
const SCHEME_URL = /\b(?:https?|ftp):\/\/[^\s<>"'`]{1,2048}/gi;
const WWW_URL = /(?<![\w.\-/@])www\.[^\s<>"'`]{1,2048}/gi;
const BARE_DOMAIN = new RegExp(
  String.raw`(?<![\w@.\-/])(?:${LABEL}\.){1,6}(?:${LINK_TLDS})(?![\w-]|\.[a-z0-9])(?:[:/?#][^\s<>"'` + '`' + String.raw`]{0,2048})?`,
  'gi',
);
const SPOKEN_LINK = new RegExp(
  String.raw`(?<![\w.])([a-z0-9][a-z0-9-]{0,62}(?:\s+dot\s+[a-z0-9][a-z0-9-]{0,62}){0,3})\s+dot\s+(${SPOKEN_LINK_TLDS})\b(?:\s+slash\s+[a-z0-9]{1,63}){0,8}`,
  'gi',
);

const MAIL_PROVIDERS = new Set(
  'gmail googlemail yahoo ymail hotmail outlook live msn icloud me mac aol proton protonmail gmx mail yandex zoho btinternet sky'.split(' '),
);

/** Words that ordinarily precede "at" or "dot": "look at …", "the dot com bubble". */
const ORDINARY_WORDS = new Set(
  ('look looking looked me us him her them it this that here there is are was were be been arrive arrived stay ' +
    'meet home work school class site website page link go went find found available check see click and or but ' +
    'you i we they she he lives live works study the a an its my your our dot').split(' '),
);

export function normaliseDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/^\*?\./, '').replace(/\.$/, '');
}

/** True when the host is an allowed domain or one of its subdomains. */
export function isAllowedHost(host: string, allowed: readonly string[]): boolean {
  const h = normaliseDomain(host);
  return allowed.some((d) => h === d || h.endsWith(`.${d}`));
}

const spokenDots = (s: string) => s.replace(new RegExp(DOT_WORD, 'gi'), '.').replace(/\s+/g, '');

export function findEmails(text: string, allowed: readonly string[]): ContactCandidate[] {
  if (!/@|\bat\b/i.test(text)) return [];
  const out: ContactCandidate[] = [];
  for (const m of text.matchAll(PLAIN_EMAIL)) {
    out.push({ kind: 'email', start: m.index, end: m.index + m[0].length, allowed: isAllowedHost(m[1], allowed) });
  }
  for (const m of text.matchAll(SPELLED_EMAIL)) {
    const [whole, local, at, domain] = m;
    if (at.trim().toLowerCase() === 'at' && !spokenAt(local, domain)) continue;
    out.push({ kind: 'email', start: m.index, end: m.index + whole.length, allowed: isAllowedHost(spokenDots(domain), allowed) });
  }
  return out;
}

export function findLinks(text: string, allowed: readonly string[]): ContactCandidate[] {
  const out: ContactCandidate[] = [];
  for (const pattern of [SCHEME_URL, WWW_URL, BARE_DOMAIN]) {
    for (const m of text.matchAll(pattern)) {
      const url = trimTrailingPunctuation(m[0]);
      out.push({ kind: 'link', start: m.index, end: m.index + url.length, allowed: isAllowedHost(hostOf(url), allowed) });
    }
  }
  if (/\bdot\b/i.test(text)) {
    for (const m of text.matchAll(SPOKEN_LINK)) {
      if (ORDINARY_WORDS.has(m[1].split(/\s+/)[0].toLowerCase())) continue;
      const host = `${spokenDots(m[1])}.${m[2]}`;
      out.push({ kind: 'link', start: m.index, end: m.index + m[0].length, allowed: isAllowedHost(host, allowed) });
    }
  }
  return out;
}

/** "jane at gmail.com", "jane at school dot org": the word "at" standing for @. */
function spokenAt(local: string, domain: string): boolean {
  const lastWord = local.split(/\s+/).pop()?.toLowerCase() ?? '';
  const provider = domain.split(/[.\s([{<]/, 1)[0].toLowerCase();
  return !ORDINARY_WORDS.has(lastWord) && (new RegExp(DOT_WORD, 'i').test(domain) || MAIL_PROVIDERS.has(provider));
}

function hostOf(url: string): string {
  const rest = url.replace(/^[a-z]+:\/\//i, '');
  const authority = rest.split(/[/?#]/, 1)[0];
  return authority.slice(authority.lastIndexOf('@') + 1).replace(/:\d*$/, '');
}

/** "see https://x.org/a." ends the sentence, not the URL; a closing bracket stays if the URL opened one. */
function trimTrailingPunctuation(url: string): string {
  let end = url.length;
  for (;;) {
    const c = url[end - 1];
    if (/[.,;:!?'"\]}>]/.test(c)) end -= 1;
    else if (c === ')' && count(url.slice(0, end), '(') < count(url.slice(0, end), ')')) end -= 1;
    else return url.slice(0, end);
  }
}

const count = (s: string, c: string) => s.split(c).length - 1;
