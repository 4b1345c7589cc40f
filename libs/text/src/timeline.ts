import { parseClockTime } from './clock-time';
import { TimelineMalformed } from './text-errors';

/**
 * Zoom's timeline (ZOOM.md "File formats"): each entry names the active speaker(s) from its `ts`
 * on, so an entry's users speak until the next entry starts. The last entry has no successor:
 * it runs to `endSeconds` when the caller knows the recording's length, and otherwise counts for
 * nothing (we do not invent an end).
 */
export interface SpeakingInterval {
  startSeconds: number;
  endSeconds: number;
}

export interface TimelineSpeaker {
  username: string;
  /** Sorted, with back-to-back stretches of the same speaker merged. */
  intervals: SpeakingInterval[];
}

interface Entry {
  at: number;
  usernames: string[];
}

export function parseTimeline(source: string, opts: { endSeconds?: number } = {}): TimelineSpeaker[] {
  let doc: unknown;
  try {
    doc = JSON.parse(source.replace(/^\uFEFF/, ''));
  } catch {
    throw new TimelineMalformed(null, 'not JSON');
  }
  const list = isObject(doc) ? doc.timeline : undefined;
  if (!Array.isArray(list)) throw new TimelineMalformed(null, 'no "timeline" array');
  if (list.length === 0) throw new TimelineMalformed(null, 'the timeline has no entries');
  const entries = list.map(readEntry);
  entries.forEach((e, i) => {
    if (i > 0 && e.at < entries[i - 1].at) throw new TimelineMalformed(i, 'ts is before the previous entry');
  });
  const last = entries.at(-1);
  if (opts.endSeconds !== undefined && last && opts.endSeconds < last.at) {
    throw new TimelineMalformed(entries.length - 1, 'ts is after the end of the recording');
  }
  const byUser = new Map<string, SpeakingInterval[]>();
  entries.forEach((e, i) => {
    const end = entries[i + 1]?.at ?? opts.endSeconds ?? e.at;
    if (end <= e.at) return;
    for (const username of new Set(e.usernames)) {
      const intervals = byUser.get(username) ?? [];
      const previous = intervals.at(-1);
      if (previous && previous.endSeconds === e.at) previous.endSeconds = end;
      else intervals.push({ startSeconds: e.at, endSeconds: end });
      byUser.set(username, intervals);
    }
  });
  return [...byUser].map(([username, intervals]) => ({ username, intervals }));
}

function readEntry(raw: unknown, i: number): Entry {
  if (!isObject(raw)) throw new TimelineMalformed(i, 'not an object');
  const at = typeof raw.ts === 'string' ? parseClockTime(raw.ts, { millis: 'optional' }) : null;
  if (at === null) throw new TimelineMalformed(i, 'ts is not "HH:MM:SS.mmm"');
  if (!Array.isArray(raw.users)) throw new TimelineMalformed(i, 'users is not an array');
  const usernames = raw.users.map((u: unknown) => {
    const name = isObject(u) && typeof u.username === 'string' ? u.username.trim() : '';
    if (name === '') throw new TimelineMalformed(i, 'a user without a username');
    return name;
  });
  return { at, usernames };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
