import type { ContactCandidate } from './contact-candidate';

/**
 * Postal addresses, in three pieces that the overlap rule joins when only commas and spaces part
 * them ("12 Elm Street, Springfield, IL 62704" is one detail):
 *   street    a house number (221B, 12-14), one to four name words, a street suffix. Suffixes that are
 *             also plain English (Close, Way, Place, Row, Walk, Hill, Court, …) need capitalised name
 *             words ("7 Hazel Close", not "only 5 very close"); name words that are articles,
 *             prepositions or units ("5 apples on the road", "3 miles down Main Street") rule it out.
 *   postcode  a UK postcode in the Royal Mail letter classes (SW1A 1AA, M1 1AE); lower case only with
 *             a two-letter area and the space ("sw1a 1aa"), so "b2 2nd" stays text.
 *   city      a US "City, ST 12345" with a real state code, capitalised as written on an envelope.
 */
const CORE_SUFFIX = 'street|st|road|rd|avenue|ave|av|lane|ln|drive|dr|boulevard|blvd|parkway|pkwy|highway|hwy';
const PLAIN_WORD_SUFFIX =
  'close|way|place|pl|row|walk|hill|court|ct|circle|cir|square|sq|terrace|crescent|cres|grove|gardens|gdns|mews|trail';
const STREET = new RegExp(
  String.raw`(?<![\w.,$£€-])\d{1,5}[a-z]?(?:-\d{1,5})?,?\s+((?:[a-z][a-z'\u2019-]{0,30}\.?\s+){1,4})(${CORE_SUFFIX}|${PLAIN_WORD_SUFFIX})\b`,
  'gi',
);
const PLAIN_WORD_SUFFIXES = new Set(PLAIN_WORD_SUFFIX.split('|'));
const NOT_A_STREET_NAME = new Set(
  ('the a an of on in to and or is are was for at by with from into more less than times plus minus this that my ' +
    'your our their his her its each every per equals very so too about down up along across around past over ' +
    'miles mi km blocks minutes mins hours steps meters metres feet ft yards laps').split(' '),
);
const UK_POSTCODE = /(?<![a-z0-9])(?:[BEGLMNSW]|[A-PR-UWYZ][A-HK-Y])\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}(?![a-z0-9])/gi;
const US_STATES =
  'AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC';
const US_CITY_STATE_ZIP = new RegExp(String.raw`\b[A-Z][a-z]{1,30}(?:[ -][A-Z][a-z]{1,30}){0,2},\s?(?:${US_STATES})\s+\d{5}(?:-\d{4})?(?![\w-])`, 'g');

export function findAddresses(text: string): ContactCandidate[] {
  const out: ContactCandidate[] = [];
  if (/\d/.test(text)) {
    for (const m of text.matchAll(STREET)) {
      const words = m[1].trim().split(/\s+/);
      if (words.some((w) => NOT_A_STREET_NAME.has(w.toLowerCase().replace(/\.$/, '')))) continue;
      if (PLAIN_WORD_SUFFIXES.has(m[2].toLowerCase()) && !words.every((w) => /^[A-Z]/.test(w))) continue;
      out.push({ kind: 'address', start: m.index, end: m.index + m[0].length });
    }
    for (const m of text.matchAll(UK_POSTCODE)) {
      const p = m[0];
      if (p !== p.toUpperCase() && !(p === p.toLowerCase() && /^[a-z]{2}/.test(p) && /\s/.test(p))) continue;
      out.push({ kind: 'address', start: m.index, end: m.index + p.length });
    }
    for (const m of text.matchAll(US_CITY_STATE_ZIP)) out.push({ kind: 'address', start: m.index, end: m.index + m[0].length });
  }
  return out;
}
