import { ContactKind, findContactDetails } from './contact-details';
import { findMoreAddresses } from './deid-address';
import { findDatesOfBirth, hasBirthdayCue } from './deid-dob';
import { answeredCode, answeredHandle, askedFor, AskedFor, findNamedAccounts, findWordTldLinks } from './deid-links';
import type { NameLexicon } from './deid-lexicon';
import { findNames } from './deid-names';
import type { CompiledRoster } from './deid-roster';
import { findSchools } from './deid-school';
import { findZoomDetails, followsMeetingWord, isZoomLink } from './deid-zoom';

/**
 * Personal data in one piece of running text, as typed spans (CONTRACT "De-identification output"
 * placeholders). Contact details come from the detectors the safety signals use
 * (findContactDetails): one implementation finds an email for both. An attempt to move off the
 * platform ("add me on snap") names nobody and stays.
 */
export type DeidKind = 'PERSON' | 'EMAIL' | 'PHONE' | 'URL' | 'SOCIAL' | 'ADDRESS' | 'SCHOOL' | 'DOB' | 'ZOOM';

export interface DeidSpan {
  kind: DeidKind;
  /** Character offsets into the text: the span is text.slice(start, end). */
  start: number;
  end: number;
}

export interface DeidContext {
  roster: CompiledRoster;
  lexicon: NameLexicon;
  allowedDomains: readonly string[];
  /** Told of every piece of running text a file's de-identification reads (the evaluation counts kept words there). */
  onRunningText?: (start: number, end: number) => void;
  /** What one turn says about the next, in a file read in order: see DeidCarry. */
  carry: DeidCarry;
}

/**
 * Turns answer turns: after "when's your birthday?" the next turns' dates are dates of birth (for
 * three turns); after "what's ur insta" a one-word reply is a handle (three turns too), after "what's
 * the passcode" a code.
 */
export interface DeidCarry {
  birthdayTurns: number;
  asked: AskedFor;
  askedTurns: number;
}

const CONTACT_KINDS: Record<Exclude<ContactKind, 'off_platform'>, DeidKind> = {
  email: 'EMAIL',
  phone: 'PHONE',
  link: 'URL',
  social: 'SOCIAL',
  address: 'ADDRESS',
};
/** Where two findings start at the same place and are as long, the more specific kind names it. */
const PRIORITY: DeidKind[] = ['ZOOM', 'EMAIL', 'URL', 'SOCIAL', 'PHONE', 'DOB', 'ADDRESS', 'SCHOOL', 'PERSON'];

/** Sorted by start, non-overlapping. */
export function findDeidSpans(text: string, ctx: DeidContext): DeidSpan[] {
  const found: DeidSpan[] = [];
  for (const d of findContactDetails(text, { allowedDomains: ctx.allowedDomains, mentionNames: ctx.roster.mentionNames })) {
    if (d.kind === 'off_platform') continue;
    let kind = CONTACT_KINDS[d.kind];
    if (kind === 'URL' && isZoomLink(text.slice(d.start, d.end))) kind = 'ZOOM';
    if (kind === 'PHONE' && followsMeetingWord(text, d.start)) kind = 'ZOOM';
    found.push({ kind, start: d.start, end: d.end });
  }
  for (const a of findMoreAddresses(text)) found.push({ kind: 'ADDRESS', ...a });
  for (const z of findZoomDetails(text)) found.push({ kind: 'ZOOM', ...z });
  for (const s of findSchools(text, ctx.lexicon)) found.push({ kind: 'SCHOOL', ...s });
  for (const d of findDatesOfBirth(text, ctx.carry.birthdayTurns > 0)) found.push({ kind: 'DOB', ...d });
  for (const l of findWordTldLinks(text, ctx.lexicon)) found.push({ kind: 'URL', ...l });
  const accounts = findNamedAccounts(text);
  for (const h of accounts) found.push({ kind: 'SOCIAL', ...h });
  const handle = ctx.carry.asked === 'handle' ? answeredHandle(text) : null;
  if (handle) found.push({ kind: 'SOCIAL', ...handle });
  const code = ctx.carry.asked === 'code' ? answeredCode(text) : null;
  if (code) found.push({ kind: 'ZOOM', ...code });
  ctx.carry.birthdayTurns = hasBirthdayCue(text) ? 3 : Math.max(0, ctx.carry.birthdayTurns - 1);
  // A question about handles stays open for three turns: people answer it one after another.
  const asked = askedFor(text, accounts.length);
  if (asked) ctx.carry = { ...ctx.carry, asked, askedTurns: 3 };
  else if (ctx.carry.askedTurns > 1) ctx.carry.askedTurns -= 1;
  else ctx.carry.asked = null;
  for (const n of findNames(text, ctx.roster, ctx.lexicon)) found.push({ kind: 'PERSON', ...mentionHandle(text, n) });
  return resolve(found, text);
}

/** "@jake_m", a chat mention of Jake: the whole handle goes, not only the name inside it. */
function mentionHandle(text: string, span: { start: number; end: number }): { start: number; end: number } {
  if (text[span.start - 1] !== '@') return span;
  const rest = /^[\w.]*/.exec(text.slice(span.end))?.[0].replace(/\.+$/, '') ?? '';
  return { start: span.start - 1, end: span.end + rest.length };
}

/**
 * The earliest finding wins, and at one start the longest, then the more specific kind; a finding
 * that runs past the one it overlaps extends it: nothing found is ever left half in the clear.
 * The parts of one address ("310 Hawthorne Street, Apt 4B, Brooklyn, NY 11225") become one span.
 */
function resolve(found: DeidSpan[], text: string): DeidSpan[] {
  found.sort((a, b) => a.start - b.start || b.end - a.end || PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind));
  const out: DeidSpan[] = [];
  for (const s of found) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else if (last && last.kind === 'ADDRESS' && s.kind === 'ADDRESS' && /^[\s,]{1,4}$/.test(text.slice(last.end, s.start))) last.end = s.end;
    else out.push({ ...s });
  }
  return out;
}

/** The text with each span replaced by its placeholder, `[PERSON]`, `[EMAIL]`, …. */
export function applySpans(text: string, spans: readonly DeidSpan[]): string {
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += `${text.slice(at, s.start)}[${s.kind}]`;
    at = s.end;
  }
  return out + text.slice(at);
}
