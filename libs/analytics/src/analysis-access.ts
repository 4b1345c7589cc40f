import type { Principal } from '@lib/auth';

/** Staff who read every session's talk time, transcript and chat log (CONTRACT routes). */
const STAFF = ['reviewer', 'admin', 'safety'] as const;

/**
 * Who reads a session's feedback — talk time, transcript, chat log (POLICIES §1, CONTRACT): the
 * tutor of that session, staff reviewers, and a volunteer reviewer the recording is assigned to.
 * A tutor never reads another tutor's sessions; nobody else reads any.
 */
export function mayReadSessionFeedback(caller: Principal, session: { tutorId: string | null; assignedToCaller: boolean }): boolean {
  if (caller.roles.some((r) => (STAFF as readonly string[]).includes(r))) return true;
  if (caller.roles.includes('volunteer_reviewer') && session.assignedToCaller) return true;
  return caller.roles.includes('tutor') && session.tutorId !== null && session.tutorId === caller.personId;
}

/** A tutor's feedback reports: that tutor, and staff reviewers. */
export function mayReadTutorFeedback(caller: Principal, tutorId: string): boolean {
  if (caller.roles.some((r) => (STAFF as readonly string[]).includes(r))) return true;
  return caller.roles.includes('tutor') && caller.personId === tutorId;
}

/** Safety flags and exceptions: the safety team, admins and reviewers (the review page shows flags). */
export function mayReadSafetyFlags(caller: Principal): boolean {
  return caller.roles.some((r) => (STAFF as readonly string[]).includes(r));
}
