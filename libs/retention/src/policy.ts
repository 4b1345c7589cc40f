/**
 * The retention rules of POLICIES.md §2, as data and pure functions. "Where is the 30-day rule?"
 * Here: DEFAULT_POLICIES.tutoring.video.
 */
export type DurationUnit = 'days' | 'years' | 'working_days';

export interface RetentionDuration {
  amount: number;
  unit: DurationUnit;
}

/** What the clock of a kind starts from. */
export type RetentionAnchor = 'session_start' | 'upload' | 'review_decision' | 'study_agreement';

/** Every kind of thing we keep, and how long. */
export const RETAINED_KINDS = [
  'video',
  'audio',
  'participant_audio',
  'stream',
  'transcript',
  'chat',
  'timeline',
  'other',
  'talk_time',
  'image',
  'verification_video',
  'research_export',
] as const;
export type RetainedKind = (typeof RETAINED_KINDS)[number];

export interface RetentionRule {
  /** Null: kept until something else ends it (research exports: the study's data-use agreement). */
  keep: RetentionDuration | null;
  from: RetentionAnchor;
}

export type RetentionRules = Record<RetainedKind, RetentionRule>;
export type PolicyProfileName = 'tutoring' | 'classes';

/** Retention classes group kinds for object tags, metrics and the bucket's lifecycle rule. */
export const RETENTION_CLASS: Record<RetainedKind, string> = {
  video: 'media',
  audio: 'media',
  participant_audio: 'media',
  stream: 'media',
  transcript: 'text',
  chat: 'text',
  timeline: 'text',
  other: 'text',
  talk_time: 'text',
  image: 'image',
  verification_video: 'verification',
  research_export: 'research',
};

const days = (amount: number): RetentionDuration => ({ amount, unit: 'days' });
const years = (amount: number): RetentionDuration => ({ amount, unit: 'years' });
const workingDays = (amount: number): RetentionDuration => ({ amount, unit: 'working_days' });

function profile(mediaDays: number): RetentionRules {
  const media: RetentionRule = { keep: days(mediaDays), from: 'session_start' };
  const text: RetentionRule = { keep: years(3), from: 'session_start' };
  return {
    video: media,
    audio: media,
    participant_audio: media,
    stream: media,
    transcript: text,
    chat: text,
    timeline: text,
    other: text,
    talk_time: text,
    image: { keep: workingDays(5), from: 'upload' },
    verification_video: { keep: days(1), from: 'review_decision' },
    research_export: { keep: null, from: 'study_agreement' },
  };
}

/** POLICIES §2: video and audio 30 days (tutoring) or 90 days (classes); text 3 years; images 5 working days. */
export const DEFAULT_POLICIES: Record<PolicyProfileName, RetentionRules> = {
  tutoring: profile(30),
  classes: profile(90),
};

/** The profile a recording without a registered session lives by: the one that keeps least. */
export const STRICTEST_PROFILE: PolicyProfileName = 'tutoring';

/** Days on which nothing counts as a working day besides weekends (public and bank holidays). */
export interface HolidayCalendar {
  isHoliday(day: Date): boolean;
}

export const NO_HOLIDAYS: HolidayCalendar = { isHoliday: () => false };

export function isWorkingDay(day: Date, calendar: HolidayCalendar): boolean {
  const weekday = day.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !calendar.isHoliday(day);
}

/**
 * `start` moved on by the duration. Calendar days and years keep the time of day (29 February plus
 * a year is 28 February). Working days skip weekends and holidays: the result is the same time on
 * the n-th working day after the start day.
 */
export function addRetention(start: Date, duration: RetentionDuration, calendar: HolidayCalendar): Date {
  const t = new Date(start.getTime());
  switch (duration.unit) {
    case 'days':
      t.setUTCDate(t.getUTCDate() + duration.amount);
      return t;
    case 'years': {
      const month = t.getUTCMonth();
      t.setUTCFullYear(t.getUTCFullYear() + duration.amount);
      if (t.getUTCMonth() !== month) t.setUTCDate(0); // 29 Feb → 28 Feb
      return t;
    }
    case 'working_days': {
      let counted = 0;
      while (counted < duration.amount) {
        t.setUTCDate(t.getUTCDate() + 1);
        if (isWorkingDay(t, calendar)) counted += 1;
      }
      return t;
    }
  }
}

/** When an artifact of `kind` expires, given when its clock started; null when it has no fixed end. */
export function expiryOf(kind: RetainedKind, anchor: Date | null, rules: RetentionRules, calendar: HolidayCalendar): Date | null {
  const rule = rules[kind];
  if (!rule?.keep || !anchor) return null;
  return addRetention(anchor, rule.keep, calendar);
}

/** The retained kind of an artifact kind (unknown kinds are kept like text: the longer class, never less). */
export function retainedKind(kind: string): RetainedKind {
  return (RETAINED_KINDS as readonly string[]).includes(kind) ? (kind as RetainedKind) : 'other';
}

/** A changed expiry applies when it is earlier (at once) or later (never for what is already gone). */
export function nextExpiry(current: Date | null, recomputed: Date | null, status: string): Date | null | 'unchanged' {
  if (status === 'deleted' || status === 'discarded' || status === 'failed') return 'unchanged';
  if (current?.getTime() === recomputed?.getTime()) return 'unchanged';
  return recomputed;
}

export class InvalidPolicy extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidPolicy';
  }
}

/** Checks admin-supplied rules: every kind present, sane durations, known anchors. */
export function validateRules(input: unknown): RetentionRules {
  if (typeof input !== 'object' || input === null) throw new InvalidPolicy('rules must be an object keyed by artifact kind');
  const rules = input as Record<string, unknown>;
  const out: Partial<RetentionRules> = {};
  for (const kind of RETAINED_KINDS) {
    const rule = rules[kind] as { keep?: unknown; from?: unknown } | undefined;
    if (!rule || typeof rule !== 'object') throw new InvalidPolicy(`rules.${kind} is missing`);
    const from = rule.from;
    if (!['session_start', 'upload', 'review_decision', 'study_agreement'].includes(from as string)) {
      throw new InvalidPolicy(`rules.${kind}.from must be session_start, upload, review_decision or study_agreement`);
    }
    let keep: RetentionDuration | null = null;
    if (rule.keep !== null) {
      const k = rule.keep as { amount?: unknown; unit?: unknown };
      const max = k?.unit === 'years' ? 100 : 36500;
      if (!k || !['days', 'years', 'working_days'].includes(k.unit as string) || !Number.isInteger(k.amount) || (k.amount as number) < 0 || (k.amount as number) > max) {
        throw new InvalidPolicy(`rules.${kind}.keep must be null or {amount: whole number, unit: days|years|working_days}`);
      }
      keep = { amount: k.amount as number, unit: k.unit as DurationUnit };
    }
    out[kind] = { keep, from: from as RetentionAnchor };
  }
  return out as RetentionRules;
}
