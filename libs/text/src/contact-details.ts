import { findAddresses } from './contact-address';
import type { ContactCandidate } from './contact-candidate';
import { findEmails, findLinks, normaliseDomain } from './contact-email-link';
import { findOffPlatformPhrases } from './contact-phrases';
import { findPhones } from './contact-phone';
import { findSocialHandles } from './contact-social';

/**
 * Personal contact details in free text (POLICIES §5: a tutor must not share email, phone, address
 * or social media with a learner, nor move them off the platform). The detectors return character
 * spans, never the text, so the same findings drive safety signals and research de-identification
 * (CONTRACT "De-identification output").
 *
 * What counts, kind by kind (each detector file says why it draws its line where it does):
 *   email        jane@gmail.com, "jane dot doe at gmail dot com", jane(at)gmail.com, "jane @ gmail.com"
 *   phone        US and UK formats, +country numbers, spaced digits, digits read aloud (≥ 7 digits)
 *   social       @handles (not @mentions of people in the session), "my insta is …", "snap: …"
 *   address      "12 Elm Street", UK postcodes, US "City, ST 12345"
 *   link         any URL or bare domain off the allow-list, meeting and chat invites included
 *   off_platform "add me on snap", "text me", "dm me", "call me at <number>", "let's talk on discord",
 *                "what's your snapchat" — the attempt itself, apart from any detail that follows it
 * Numbers in a problem (4,567,890, 3.14159, 1969, 2026-12-06, 10:30, $12.50), `x@y` in a formula and
 * "call me when you finish" are not details.
 */
export type ContactKind = 'email' | 'phone' | 'social' | 'address' | 'link' | 'off_platform';

export interface ContactDetail {
  kind: ContactKind;
  /** Character offsets into the text: the detail is text.slice(start, end). */
  start: number;
  end: number;
}

export interface ContactDetectionOptions {
  /** The platform's own domains: a URL or email on one of them, or on a subdomain, is not a detail. */
  allowedDomains: readonly string[];
  /**
   * Display names of the people in the session: Zoom chat writes a mention as "@Name", which is
   * not a social handle. Without them every @word is a handle.
   */
  mentionNames?: readonly string[];
}

/** Sorted by start, non-overlapping. */
export function findContactDetails(text: string, options: ContactDetectionOptions): ContactDetail[] {
  const allowed = options.allowedDomains.map(normaliseDomain).filter(Boolean);
  const candidates = [
    ...findEmails(text, allowed),
    ...findLinks(text, allowed),
    ...findPhones(text),
    ...findSocialHandles(text, options.mentionNames ?? []),
    ...findAddresses(text),
    ...findOffPlatformPhrases(text),
  ];
  return resolveOverlaps(candidates, text)
    .filter((c) => !c.allowed)
    .map(({ kind, start, end }) => ({ kind, start, end }));
}

/**
 * Where findings overlap, the one starting first wins, and at the same start the longer one (an
 * email beats the bare domain inside it). Findings of one kind that overlap are one detail, and so
 * are address parts separated by commas, spaces and at most three capitalised words (a town):
 * "12 Elm Street, Springfield, IL 62704", "221B Baker Street, London NW1 6XE".
 */
function resolveOverlaps(candidates: ContactCandidate[], text: string): ContactCandidate[] {
  const sorted = [...candidates].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: ContactCandidate[] = [];
  for (const c of sorted) {
    const last = kept[kept.length - 1];
    if (last && last.kind === c.kind && !last.allowed && !c.allowed && joins(last, c, text)) {
      last.end = Math.max(last.end, c.end);
    } else if (!last || c.start >= last.end) {
      kept.push({ ...c });
    }
  }
  return kept;
}

const TOWN_BETWEEN = /^[\s,]{1,4}(?:[A-Z][\w'-]{0,30}[\s,]{1,4}){0,3}$/;

function joins(a: ContactCandidate, b: ContactCandidate, text: string): boolean {
  if (b.start < a.end) return true;
  return a.kind === 'address' && b.start - a.end <= 80 && TOWN_BETWEEN.test(text.slice(a.end, b.start));
}
