import type { ContactCandidate } from './contact-candidate';
import { findSpokenPhones, isProgression } from './contact-spoken-digits';

/**
 * Phone numbers written with digits. A run of digit groups (separated by one space, dash or dot, or
 * bracketed) is a phone number only in a shape phones have:
 *   +country …            8–15 digits after a plus            +44 7700 900123, +1 (555) 123-4567
 *   US, 10 digits          3-3-4 (or "(555) 123-4567"), area code 2–9, optionally 1-3-3-4
 *   UK, 11 digits from 0   groups of 2+ digits                07700 900123, 020 7946 0958
 *   IE/AU/NZ, 10 from 0    groups of 2+ digits                087 123 4567, 0412 345 678
 *   spaced single digits   10 (US) or 11 (UK) of them          5 5 5 1 2 3 4 5 6 7
 *   one unbroken run       07xxxxxxxxx always; 10–11 digits or 3-4 local only after a contact word
 *                          ("call", "text", "my number", "phone", "cell", "whatsapp", …)
 * Commas, colons and slashes never join groups, so 4,567,890, 10:30 and 12/06/2026 stay numbers, as
 * do 3.14159265, 1969, page 123-456 and 2026-12-06 (no phone shape). A run glued to a currency sign,
 * a letter or a decimal point is not a phone; neither is a counting sequence (2 3 4 5 6 7 8 9 0 1),
 * nor a long list of numbers (more than 16 groups in a row).
 */
const UNIT = String.raw`(?:\( ?\d{1,5} ?\)|\d)`;
const SEPARATOR = String.raw`(?:[ \t]?[-.\u2010-\u2013][ \t]?|[ \t])`;
const CANDIDATE = new RegExp(String.raw`(?<![\w$£€¥.,/+-])(?:\+ ?)?${UNIT}(?:${SEPARATOR}?${UNIT}){5,40}(?![\w]|[.,]\d)`, 'g');
const CONTACT_WORD = /\b(?:phone|cell|mobile|tel|call|text|txt|sms|ring|whats ?app|reach me|contact|my (?:number|no\.?|#))\b/i;
/** "+4 4 7 7 0 0 9 0 0 1 2 3" has 12 groups; a run with many more is a list of numbers, not a phone. */
const MAX_GROUPS_PER_NUMBER = 12;
const MAX_GROUPS_IN_RUN = 16;

interface Group {
  digits: string;
  start: number;
  end: number;
}

export function findPhones(text: string): ContactCandidate[] {
  const out: ContactCandidate[] = [];
  for (const m of text.matchAll(CANDIDATE)) {
    const groups = digitGroups(m[0], m.index);
    if (groups.length > MAX_GROUPS_IN_RUN) continue;
    const plus = m[0].startsWith('+');
    for (let i = 0; i < groups.length; ) {
      const j = longestPhoneFrom(text, groups, i, plus && i === 0);
      if (j === null) {
        i += 1;
        continue;
      }
      const start = i === 0 ? m.index : groups[i].start - (text[groups[i].start - 1] === '(' ? 1 : 0);
      out.push({ kind: 'phone', start, end: groups[j - 1].end });
      i = j;
    }
  }
  return [...out, ...findSpokenPhones(text)];
}

function digitGroups(candidate: string, offset: number): Group[] {
  return [...candidate.matchAll(/\d+/g)].map((g) => ({ digits: g[0], start: offset + g.index, end: offset + g.index + g[0].length }));
}

/**
 * The end (exclusive) of the longest run of groups from i that is shaped like a phone number. Only
 * runs holding a phone's count of digits are examined, which keeps a long line of digits linear.
 */
function longestPhoneFrom(text: string, groups: Group[], i: number, plus: boolean): number | null {
  const ends: number[] = [];
  let n = 0;
  for (let j = i; j < Math.min(groups.length, i + MAX_GROUPS_PER_NUMBER) && n <= 15; j += 1) {
    n += groups[j].digits.length;
    if (plus ? n >= 8 && n <= 15 : n === 7 || n === 10 || n === 11) ends.push(j + 1);
  }
  for (let k = ends.length - 1; k >= 0; k -= 1) {
    if (isPhoneShape(text, groups.slice(i, ends[k]), plus)) return ends[k];
  }
  return null;
}

function isPhoneShape(text: string, run: Group[], plus: boolean): boolean {
  const groups = run.map((g) => g.digits);
  const cued = () => {
    const [first, last] = [run[0], run[run.length - 1]];
    return CONTACT_WORD.test(text.slice(Math.max(0, first.start - 40), first.start)) || CONTACT_WORD.test(text.slice(last.end, last.end + 30));
  };
  return hasPhoneShape(groups, plus, cued) && !isProgression(groups.map(Number));
}

function hasPhoneShape(groups: string[], plus: boolean, cued: () => boolean): boolean {
  const digits = groups.join('');
  if (plus) return digits.length >= 8 && digits.length <= 15;
  const sizes = () => groups.map((g) => g.length).join('-');
  const singles = groups.length === digits.length;
  const unbroken = groups.length === 1;
  if (digits.length === 10 && /^[2-9]/.test(digits)) return singles || sizes() === '3-3-4' || (unbroken && cued());
  if (digits.length === 11 && /^1[2-9]/.test(digits)) return singles || sizes() === '1-3-3-4' || (unbroken && cued());
  // Irish, Australian and New Zealand numbers: 10 digits from 0 ("087 123 4567", "0412 345 678").
  if (digits.length === 10 && /^0[1-9]/.test(digits)) return singles || (!unbroken && groups.every((g) => g.length >= 2)) || (unbroken && cued());
  if (digits.length === 11 && /^0[1-9]/.test(digits)) {
    return singles || (!unbroken && groups.every((g) => g.length >= 2)) || (unbroken && (/^07/.test(digits) || cued()));
  }
  if (digits.length === 7 && /^[2-9]/.test(digits)) return groups.length === 2 && groups[0].length === 3 && cued();
  return false;
}
