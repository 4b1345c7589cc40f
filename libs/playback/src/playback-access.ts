/**
 * Who may watch a recording (POLICIES §3) as a pure function. The service loads the facts; this
 * decides. Staff reviewers see every recording; volunteer reviewers only what is assigned to them;
 * in the `classes` profile a family (a parent or learner of the session) may watch its own class
 * once it accepted the non-sharing terms; tutors, learners and everyone else never.
 */
export interface Viewer {
  personId: string;
  roles: readonly string[];
}

export interface WatchFacts {
  /** The recording's policy profile (`tutoring`, `classes`). */
  profile: string;
  /** A review assignment names this person for this recording. */
  assignedToViewer: boolean;
  /** The viewer is a parent or learner on the recording's session roster. */
  viewerIsFamilyOfSession: boolean;
  /** The viewer's latest `viewing_terms` consent decision is a grant. */
  viewerAcceptedViewingTerms: boolean;
}

export type WatchDecision = { allowed: true; as: 'staff' | 'volunteer' | 'family' } | { allowed: false; reason: string };

const STAFF = ['reviewer', 'admin', 'safety'];

export function mayWatch(viewer: Viewer, facts: WatchFacts): WatchDecision {
  if (viewer.roles.some((r) => STAFF.includes(r))) return { allowed: true, as: 'staff' };
  if (viewer.roles.includes('volunteer_reviewer') && facts.assignedToViewer) return { allowed: true, as: 'volunteer' };
  if (viewer.roles.includes('family') && facts.profile === 'classes' && facts.viewerIsFamilyOfSession) {
    if (facts.viewerAcceptedViewingTerms) return { allowed: true, as: 'family' };
    return { allowed: false, reason: 'the family has not accepted the viewing terms' };
  }
  if (viewer.roles.includes('volunteer_reviewer')) return { allowed: false, reason: 'this recording is not assigned to you' };
  return { allowed: false, reason: 'you may not watch this recording' };
}
