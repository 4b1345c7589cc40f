import { TalkTimeInputInvalid } from './text-errors';

/**
 * What talk time is computed from, whatever the source: who is on the session's roster, and who
 * spoke when. Times are seconds from the recording's start; they are quantised to whole
 * milliseconds here, the precision of a WebVTT cue, so that every later sum is exact.
 */
export type TalkRole = 'tutor' | 'learner' | 'parent';

export interface TalkRosterPerson {
  personId: string;
  displayName: string;
  role: TalkRole;
}

export type TalkTimeSource = 'participant_audio' | 'transcript' | 'timeline';

export interface Utterance {
  startSeconds: number;
  endSeconds: number;
  /** The roster person speaking, or null when the speech is attributed to nobody. */
  personId: string | null;
  /** What was said, when the source has words (transcripts). */
  text?: string;
  /**
   * Tells unattributed speakers apart (any stable key, e.g. "u1" per unmatched label; never shown,
   * only counted). Unattributed speech without a key is one unknown speaker that is not counted.
   */
  unattributedKey?: string;
}

/** An utterance checked, in milliseconds, with its voice: the person, or the unattributed speaker. */
export interface Voiced {
  start: number;
  end: number;
  voice: string;
  person: TalkRosterPerson | null;
  text: string;
  /** Position in the input, to keep the order of utterances that start together. */
  order: number;
}

const ROLES: ReadonlySet<string> = new Set<TalkRole>(['tutor', 'learner', 'parent']);

export function checkRoster(roster: readonly TalkRosterPerson[]): Map<string, TalkRosterPerson> {
  const byId = new Map<string, TalkRosterPerson>();
  roster.forEach((p, i) => {
    if (typeof p.personId !== 'string' || p.personId === '') throw new TalkTimeInputInvalid(`roster entry ${i + 1}`, 'no personId');
    if (typeof p.displayName !== 'string') throw new TalkTimeInputInvalid(`roster entry ${i + 1}`, 'no displayName');
    if (!ROLES.has(p.role)) throw new TalkTimeInputInvalid(`roster entry ${i + 1}`, 'role is not tutor, learner or parent');
    if (byId.has(p.personId)) throw new TalkTimeInputInvalid(`roster entry ${i + 1}`, 'the person is on the roster twice');
    byId.set(p.personId, p);
  });
  return byId;
}

/** Seconds as whole milliseconds; anything that is not a time from the recording's start throws. */
export function toMillis(seconds: number, what: string, field: string): number {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) throw new TalkTimeInputInvalid(what, `${field} is not a finite number`);
  if (seconds < 0) throw new TalkTimeInputInvalid(what, `${field} is negative`);
  return Math.round(seconds * 1000);
}

/** Checks every utterance and gives it its voice; sorted by start, ties kept in input order. */
export function voicedUtterances(utterances: readonly Utterance[], roster: Map<string, TalkRosterPerson>): Voiced[] {
  const out = utterances.map((u, i): Voiced => {
    const what = `utterance ${i + 1}`;
    const start = toMillis(u.startSeconds, what, 'startSeconds');
    const end = toMillis(u.endSeconds, what, 'endSeconds');
    if (end < start) throw new TalkTimeInputInvalid(what, 'it ends before it starts');
    let person: TalkRosterPerson | null = null;
    if (u.personId !== null) {
      person = roster.get(u.personId) ?? null;
      if (person === null) throw new TalkTimeInputInvalid(what, 'its person is not on the roster');
    }
    const voice = person ? `person:${person.personId}` : `unattributed:${u.unattributedKey ?? ''}`;
    return { start, end, voice, person, text: u.text ?? '', order: i };
  });
  return out.sort((a, b) => a.start - b.start || a.order - b.order);
}

/** The session window in milliseconds: as given, or from the first start to the latest end. */
export function sessionWindow(
  voiced: readonly Voiced[],
  given: { sessionStartSeconds?: number; sessionEndSeconds?: number },
): { start: number; end: number } {
  const start =
    given.sessionStartSeconds !== undefined
      ? toMillis(given.sessionStartSeconds, 'session', 'sessionStartSeconds')
      : (voiced[0]?.start ?? 0);
  const end =
    given.sessionEndSeconds !== undefined
      ? toMillis(given.sessionEndSeconds, 'session', 'sessionEndSeconds')
      : voiced.reduce((latest, u) => Math.max(latest, u.end), start);
  if (end < start) throw new TalkTimeInputInvalid('session', 'it ends before it starts');
  return { start, end };
}

/**
 * Speech outside the session window does not count (audio analysis may overshoot the recording's
 * length by a frame), and what is left with no length is dropped: a zero-length utterance carries
 * no speech, no turn and no question.
 */
export function clipToWindow(voiced: readonly Voiced[], window: { start: number; end: number }): Voiced[] {
  return voiced
    .map((u) => ({ ...u, start: Math.max(u.start, window.start), end: Math.min(u.end, window.end) }))
    .filter((u) => u.end > u.start);
}
