import type { Principal } from '@lib/auth';
import { mayWatch } from './playback-access';

/**
 * Who may record a review of a recording (POLICIES §3): whoever may watch it as staff or as an
 * assigned volunteer (`mayWatch`, the one rule); a family watching its own class never reviews.
 */
export function mayReview(principal: Principal, assignedToCaller: boolean): boolean {
  const decision = mayWatch(
    { personId: principal.personId, roles: principal.roles },
    { profile: 'tutoring', assignedToViewer: assignedToCaller, viewerIsFamilyOfSession: false, viewerAcceptedViewingTerms: false },
  );
  return decision.allowed && decision.as !== 'family';
}
