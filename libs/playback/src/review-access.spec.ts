import type { Role } from '@lib/auth';
import { mayReview } from './review-access';

const as = (...roles: Role[]) => ({ personId: 'p-1', roles });

describe('who may record a review', () => {
  it.each<Role>(['reviewer', 'admin', 'safety'])('%s may review any recording', (role) => {
    expect(mayReview(as(role), false)).toBe(true);
  });

  it('a volunteer reviewer may review a recording assigned to them', () => {
    expect(mayReview(as('volunteer_reviewer'), true)).toBe(true);
  });

  it('a volunteer reviewer may not review a recording not assigned to them', () => {
    expect(mayReview(as('volunteer_reviewer'), false)).toBe(false);
  });

  it.each<Role>(['tutor', 'family', 'researcher', 'platform'])('%s may never review, assigned or not', (role) => {
    expect(mayReview(as(role), false)).toBe(false);
    expect(mayReview(as(role), true)).toBe(false);
  });
});
