/**
 * The consent rules of POLICIES.md §4 as pure functions over plain data: what a decision may say,
 * who may decide it for a minor, and what a person's consent currently is (the latest decision
 * wins). The ledger service loads facts, calls these, and persists the result.
 */
/** `viewing_terms`: a family accepted never to share a class recording it watches (POLICIES §3). */
export const CONSENT_PURPOSES = ['video_recording', 'research', 'images', 'viewing_terms'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
export const CONSENT_DECISIONS = ['grant', 'withdraw'] as const;
export type ConsentDecisionValue = (typeof CONSENT_DECISIONS)[number];

/** What the platform sends (CONTRACT `POST /v1/people/{personId}/consents`). */
export interface ConsentInput {
  purpose: ConsentPurpose;
  decision: ConsentDecisionValue;
  studyId?: string | null;
  /** The guardian (person id) who decided for a minor; or the person themselves. */
  decidedBy?: string | null;
  /** Images: why the picture is taken (required). Free text about a person: stored as evidence, never in the row. */
  reason?: string | null;
  /** Free text (a signed form's reference, what was said): stored as evidence, never in the row. */
  evidence?: string | null;
}

/** One row of the ledger: ids and facts only. */
export interface ConsentDecision {
  id: string;
  personId: string;
  purpose: ConsentPurpose;
  studyId: string | null;
  decision: ConsentDecisionValue;
  decidedBy: string | null;
  recordedBy: string;
  personIsMinor: boolean | null;
  evidenceKey: string | null;
  decidedAt: Date;
}

/** What the person asked for, as of now, for one purpose (and study). */
export interface CurrentConsent {
  decision: ConsentDecisionValue;
  decisionId: string;
  decidedAt: Date;
  /** For research: the study the deciding row named (null: a decision for all research). */
  studyId: string | null;
}

export interface ConsentState {
  /** Null: never decided; video is recorded (no opt-out). */
  video_recording: CurrentConsent | null;
  /** Null: never decided; images are refused (they need an explicit grant). */
  images: CurrentConsent | null;
  research: {
    /** Decisions for all research (no study named). */
    global: CurrentConsent | null;
    /** Per study: the latest of that study's and the global decisions. */
    studies: Record<string, CurrentConsent>;
  };
}

/** A decision the rules refuse: the platform must fix it (HTTP 422). */
export class ConsentRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ConsentRefused';
  }
}

/** A malformed decision (HTTP 400). */
export class InvalidConsent extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidConsent';
  }
}

/** The shape rules, beyond types: a study only for research, a reason for images. */
export function checkConsentInput(input: ConsentInput): void {
  if (input.studyId && input.purpose !== 'research') throw new InvalidConsent('studyId is only for the research purpose');
  if (input.purpose === 'images' && !input.reason?.trim()) {
    throw new InvalidConsent('reason is required for images: why the picture is taken');
  }
}

/** What the ledger knows about the person a decision is for. */
export interface ConsentSubject {
  personId: string;
  /** people.minor: true when the platform told us they are under 18. */
  minor: boolean | null;
  /** Parents whose session registration names this person among their children. */
  guardianIds: readonly string[];
}

/**
 * Who may decide. A grant of research or images for a minor is a parent's or guardian's to give
 * (POLICIES §4: "Consent for a minor is given by a parent/guardian"). A withdrawal, and any video
 * opt-out, is honoured whoever of them asks. `decidedBy`, when given, must be the person or one of
 * their guardians: the ledger never names a stranger as the one who decided.
 */
export function guardianProblem(input: ConsentInput, subject: ConsentSubject): string | null {
  const decidedBy = input.decidedBy ?? null;
  const isGuardian = decidedBy !== null && subject.guardianIds.includes(decidedBy);
  const needsGuardian = subject.minor === true && input.decision === 'grant' && (input.purpose === 'research' || input.purpose === 'images');
  if (needsGuardian && !isGuardian) {
    return decidedBy === null
      ? `${subject.personId} is a minor: a grant of ${input.purpose} must be decided by a parent or guardian (decidedBy)`
      : `${subject.personId} is a minor: ${decidedBy} is not a parent or guardian of this learner in any registered session, so cannot grant ${input.purpose}`;
  }
  if (decidedBy !== null && decidedBy !== subject.personId && !isGuardian) {
    return `decidedBy ${decidedBy} is neither ${subject.personId} nor a parent or guardian of theirs in any registered session`;
  }
  return null;
}

/** Newest first: the decision that counts comes first. Ties cannot happen (the ledger orders per person). */
function newestFirst(decisions: readonly ConsentDecision[]): ConsentDecision[] {
  return [...decisions].sort((a, b) => b.decidedAt.getTime() - a.decidedAt.getTime() || (a.id < b.id ? 1 : -1));
}

function asCurrent(d: ConsentDecision | undefined): CurrentConsent | null {
  return d ? { decision: d.decision, decisionId: d.id, decidedAt: d.decidedAt, studyId: d.studyId } : null;
}

/**
 * The current decision for a purpose: the latest one wins. For research in a study, the latest of
 * that study's decisions and the decisions for all research counts, so a later "no research at
 * all" overrides an earlier study grant and a later study grant overrides an earlier general no.
 * Without a study, only decisions for all research count.
 */
export function currentConsent(decisions: readonly ConsentDecision[], purpose: ConsentPurpose, studyId?: string | null): CurrentConsent | null {
  const relevant = newestFirst(decisions).filter(
    (d) => d.purpose === purpose && (purpose !== 'research' || d.studyId === null || (studyId != null && d.studyId === studyId)),
  );
  return asCurrent(relevant[0]);
}

export function consentState(decisions: readonly ConsentDecision[]): ConsentState {
  const studies: Record<string, CurrentConsent> = {};
  for (const studyId of new Set(decisions.filter((d) => d.purpose === 'research' && d.studyId).map((d) => d.studyId as string))) {
    studies[studyId] = currentConsent(decisions, 'research', studyId) as CurrentConsent;
  }
  return {
    video_recording: currentConsent(decisions, 'video_recording'),
    images: currentConsent(decisions, 'images'),
    research: { global: currentConsent(decisions, 'research'), studies },
  };
}

/** Video opt-out: the person's latest video_recording decision is a withdrawal. */
export function optsOutOfVideo(decisions: readonly ConsentDecision[]): CurrentConsent | null {
  const current = currentConsent(decisions, 'video_recording');
  return current?.decision === 'withdraw' ? current : null;
}

/** Images may be taken only with a current explicit grant (POLICIES §4). */
export function allowsImages(decisions: readonly ConsentDecision[]): boolean {
  return currentConsent(decisions, 'images')?.decision === 'grant';
}

/**
 * When a new decision is recorded: never before the person's latest one, so "the latest decision
 * wins" has exactly one answer even when two arrive within the same millisecond.
 */
export function nextDecisionTime(now: Date, latest: Date | null): Date {
  if (latest && latest.getTime() >= now.getTime()) return new Date(latest.getTime() + 1);
  return now;
}
