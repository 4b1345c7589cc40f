import type { Principal } from '@lib/auth';

/**
 * Who may record a review of a recording (POLICIES §3): staff reviewers, admins and the safety
 * team any recording; a volunteer reviewer only one assigned to them; nobody else (tutors,
 * learners, families, researchers, the platform). Until the playback lib's `mayWatch` is merged
 * this is the review side's own copy of the reviewer half of that rule.
 */
export function mayReview(principal: Principal, assignedToCaller: boolean): boolean {
  if (principal.roles.some((r) => r === 'reviewer' || r === 'admin' || r === 'safety')) return true;
  return principal.roles.includes('volunteer_reviewer') && assignedToCaller;
}
