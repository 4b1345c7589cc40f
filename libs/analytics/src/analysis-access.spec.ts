import type { Principal, Role } from '@lib/auth';
import { mayReadSafetyFlags, mayReadSessionFeedback, mayReadTutorFeedback } from './analysis-access';

const who = (personId: string, ...roles: Role[]): Principal => ({ personId, roles });
const session = (tutorId: string | null, assignedToCaller = false) => ({ tutorId, assignedToCaller });

describe('who reads a session’s talk time, transcript and chat log', () => {
  it('lets the tutor of that session read it', () => {
    expect(mayReadSessionFeedback(who('tutor-a', 'tutor'), session('tutor-a'))).toBe(true);
  });
  it('refuses a tutor another tutor’s session', () => {
    expect(mayReadSessionFeedback(who('tutor-b', 'tutor'), session('tutor-a'))).toBe(false);
  });
  it('refuses a tutor a recording no session claimed', () => {
    expect(mayReadSessionFeedback(who('tutor-a', 'tutor'), session(null))).toBe(false);
  });
  it('lets reviewers, admins and the safety team read every session', () => {
    for (const role of ['reviewer', 'admin', 'safety'] as const) expect(mayReadSessionFeedback(who('x', role), session('tutor-a'))).toBe(true);
  });
  it('lets a volunteer reviewer read only what is assigned to them', () => {
    expect(mayReadSessionFeedback(who('v', 'volunteer_reviewer'), session('tutor-a', true))).toBe(true);
    expect(mayReadSessionFeedback(who('v', 'volunteer_reviewer'), session('tutor-a', false))).toBe(false);
  });
  it('refuses families, researchers and the platform', () => {
    for (const role of ['family', 'researcher', 'platform'] as const) expect(mayReadSessionFeedback(who('tutor-a', role), session('tutor-a'))).toBe(false);
  });
  it('does not let a person named as tutor in without the tutor role', () => {
    expect(mayReadSessionFeedback(who('tutor-a', 'family'), session('tutor-a'))).toBe(false);
  });
});

describe('who reads a tutor’s feedback reports', () => {
  it('lets tutor A read their own and refuses them tutor B’s', () => {
    expect(mayReadTutorFeedback(who('tutor-a', 'tutor'), 'tutor-a')).toBe(true);
    expect(mayReadTutorFeedback(who('tutor-a', 'tutor'), 'tutor-b')).toBe(false);
  });
  it('lets staff reviewers read any tutor’s, not volunteers', () => {
    expect(mayReadTutorFeedback(who('r', 'reviewer'), 'tutor-b')).toBe(true);
    expect(mayReadTutorFeedback(who('v', 'volunteer_reviewer'), 'tutor-b')).toBe(false);
  });
});

describe('who reads safety flags', () => {
  it('is the safety team, admins and reviewers; never the tutor', () => {
    expect(mayReadSafetyFlags(who('s', 'safety'))).toBe(true);
    expect(mayReadSafetyFlags(who('tutor-a', 'tutor'))).toBe(false);
  });
});
