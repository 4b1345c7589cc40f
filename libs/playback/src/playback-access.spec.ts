import { mayWatch, WatchFacts } from './playback-access';

const facts = (over: Partial<WatchFacts> = {}): WatchFacts => ({
  profile: 'tutoring',
  assignedToViewer: false,
  viewerIsFamilyOfSession: false,
  viewerAcceptedViewingTerms: false,
  ...over,
});
const who = (...roles: string[]) => ({ personId: 'p1', roles });

describe('who may watch a recording (POLICIES §3)', () => {
  it.each(['reviewer', 'admin', 'safety'])('a staff %s may watch any recording', (role) => {
    expect(mayWatch(who(role), facts()).allowed).toBe(true);
    expect(mayWatch(who(role), facts({ profile: 'classes' })).allowed).toBe(true);
  });

  it('a volunteer reviewer may watch only a recording assigned to them', () => {
    expect(mayWatch(who('volunteer_reviewer'), facts({ assignedToViewer: true }))).toEqual({ allowed: true, as: 'volunteer' });
    expect(mayWatch(who('volunteer_reviewer'), facts())).toEqual({ allowed: false, reason: 'this recording is not assigned to you' });
  });

  it('a family may watch its own class in the classes profile after accepting the viewing terms', () => {
    expect(mayWatch(who('family'), facts({ profile: 'classes', viewerIsFamilyOfSession: true, viewerAcceptedViewingTerms: true }))).toEqual({ allowed: true, as: 'family' });
  });

  it('a family may not watch before accepting the terms, another class, or anything in tutoring', () => {
    expect(mayWatch(who('family'), facts({ profile: 'classes', viewerIsFamilyOfSession: true })).allowed).toBe(false);
    expect(mayWatch(who('family'), facts({ profile: 'classes', viewerAcceptedViewingTerms: true })).allowed).toBe(false);
    expect(mayWatch(who('family'), facts({ viewerIsFamilyOfSession: true, viewerAcceptedViewingTerms: true })).allowed).toBe(false);
  });

  it.each(['tutor', 'platform', 'researcher'])('a %s never watches, even of their own session', (role) => {
    expect(mayWatch(who(role), facts({ viewerIsFamilyOfSession: true, assignedToViewer: true, viewerAcceptedViewingTerms: true })).allowed).toBe(false);
    expect(mayWatch(who(role), facts({ profile: 'classes', viewerIsFamilyOfSession: true, viewerAcceptedViewingTerms: true })).allowed).toBe(false);
  });
});
