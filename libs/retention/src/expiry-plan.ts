import { addRetention, expiryOf, HolidayCalendar, RETENTION_CLASS, RetentionAnchor, RetentionRules, retainedKind } from './policy';

/**
 * The moments an artifact's retention clock can start from. `session_start` is the earlier of the
 * registered session's start and the recording's own start (the recording's start alone when no
 * session claims it), so a late or early Zoom start never lengthens what a family was promised.
 */
export type RetentionAnchors = Record<RetentionAnchor, Date | null>;

export interface ExpiryPlan {
  retentionClass: string;
  /** Where the clock started (null: it has not started, e.g. a verification video not yet reviewed). */
  anchorAt: Date | null;
  /** Null: no fixed end (research exports, or a clock that has not started). */
  expiresAt: Date | null;
}

/** The earlier of two moments, ignoring the missing one. */
export function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() <= b.getTime() ? a : b;
}

/**
 * A verification video's clock starts at its review decision; one nobody reviews would otherwise
 * be kept for ever (issue 11 A.10). It goes `days` calendar days after its upload at the latest.
 */
export interface UnreviewedFallback {
  uploadedAt: Date | null;
  days: number;
}

/**
 * Expiry, class and anchor of one artifact of `kind` under `rules`. A verification video given its
 * `unreviewed` fallback expires at the earlier of the rule's expiry and the fallback: a review
 * shortens what the upload set, and a late review never keeps it longer.
 */
export function planExpiry(kind: string, anchors: RetentionAnchors, rules: RetentionRules, calendar: HolidayCalendar, unreviewed?: UnreviewedFallback): ExpiryPlan {
  const retained = retainedKind(kind);
  const anchorAt = anchors[rules[retained].from] ?? null;
  const plan = { retentionClass: RETENTION_CLASS[retained], anchorAt, expiresAt: expiryOf(retained, anchorAt, rules, calendar) };
  if (retained !== 'verification_video' || !unreviewed?.uploadedAt) return plan;
  const fallback = addRetention(unreviewed.uploadedAt, { amount: unreviewed.days, unit: 'days' }, calendar);
  if (plan.expiresAt && plan.expiresAt.getTime() <= fallback.getTime()) return plan;
  return { ...plan, anchorAt: unreviewed.uploadedAt, expiresAt: fallback };
}

/** What is known about one artifact's moments, as read from its row and its recording and session. */
export interface ArtifactMoments {
  recordingStart: Date | null;
  sessionStart: Date | null;
  /** The anchor recorded earlier (an upload's own moment is set when it is stored). */
  anchorAt: Date | null;
  storedAt: Date | null;
  createdAt: Date | null;
  reviewedAt: Date | null;
}

export function anchorsOf(m: ArtifactMoments): RetentionAnchors {
  return {
    session_start: earliest(m.recordingStart, m.sessionStart) ?? m.anchorAt,
    upload: m.anchorAt ?? m.storedAt ?? m.createdAt,
    review_decision: m.reviewedAt,
    study_agreement: null,
  };
}
