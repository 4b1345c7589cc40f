import {
  allowsImages,
  checkConsentInput,
  ConsentDecision,
  consentState,
  CONSENT_PURPOSES,
  currentConsent,
  guardianProblem,
  InvalidConsent,
  nextDecisionTime,
  optsOutOfVideo,
} from './consent-rules';

let n = 0;
function decision(overrides: Partial<ConsentDecision> & Pick<ConsentDecision, 'purpose' | 'decision'>, at: string): ConsentDecision {
  n += 1;
  return {
    id: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
    personId: 'learner-elisa',
    studyId: null,
    decidedBy: null,
    recordedBy: 'platform',
    personIsMinor: true,
    evidenceKey: null,
    decidedAt: new Date(at),
    ...overrides,
  };
}

describe('consent state is derived from the ledger: the latest decision wins', () => {
  it('has no decision for a purpose nobody decided', () => {
    expect(currentConsent([], 'video_recording')).toBeNull();
    expect(optsOutOfVideo([])).toBeNull();
    expect(allowsImages([])).toBe(false);
  });

  it('opts a learner out of video with a withdrawal, and back in with a later grant', () => {
    const out = decision({ purpose: 'video_recording', decision: 'withdraw' }, '2026-11-01T10:00:00Z');
    expect(optsOutOfVideo([out])?.decisionId).toBe(out.id);
    const back = decision({ purpose: 'video_recording', decision: 'grant' }, '2026-11-03T10:00:00Z');
    expect(optsOutOfVideo([back, out])).toBeNull();
  });

  it('orders by time, not by the order rows are given', () => {
    const grant = decision({ purpose: 'images', decision: 'grant' }, '2026-11-01T10:00:00Z');
    const withdraw = decision({ purpose: 'images', decision: 'withdraw' }, '2026-11-02T10:00:00Z');
    expect(allowsImages([withdraw, grant])).toBe(false);
    expect(allowsImages([grant])).toBe(true);
  });

  it('keeps purposes apart: an images grant says nothing about video', () => {
    const images = decision({ purpose: 'images', decision: 'grant' }, '2026-11-01T10:00:00Z');
    const video = decision({ purpose: 'video_recording', decision: 'withdraw' }, '2026-10-01T10:00:00Z');
    expect(currentConsent([images, video], 'video_recording')?.decision).toBe('withdraw');
    expect(currentConsent([images, video], 'images')?.decision).toBe('grant');
  });

  it('lets a study decision and an all-research decision override each other by time', () => {
    const studyGrant = decision({ purpose: 'research', decision: 'grant', studyId: 'sat-2026' }, '2026-11-01T10:00:00Z');
    const allNo = decision({ purpose: 'research', decision: 'withdraw' }, '2026-11-02T10:00:00Z');
    const studyAgain = decision({ purpose: 'research', decision: 'grant', studyId: 'sat-2026' }, '2026-11-03T10:00:00Z');
    expect(currentConsent([studyGrant, allNo], 'research', 'sat-2026')?.decision).toBe('withdraw');
    expect(currentConsent([studyGrant, allNo, studyAgain], 'research', 'sat-2026')?.decision).toBe('grant');
    // Without a study, only decisions for all research count; another study is untouched by sat-2026's.
    expect(currentConsent([studyGrant], 'research')).toBeNull();
    expect(currentConsent([studyGrant], 'research', 'school-partner')).toBeNull();
  });

  it('summarises every purpose and each study named', () => {
    const rows = [
      decision({ purpose: 'video_recording', decision: 'withdraw' }, '2026-11-01T10:00:00Z'),
      decision({ purpose: 'research', decision: 'grant', studyId: 'sat-2026' }, '2026-11-02T10:00:00Z'),
    ];
    const state = consentState(rows);
    expect(state.video_recording?.decision).toBe('withdraw');
    expect(state.images).toBeNull();
    expect(state.research.global).toBeNull();
    expect(Object.keys(state.research.studies)).toEqual(['sat-2026']);
    expect(state.research.studies['sat-2026'].decision).toBe('grant');
  });

  it('never records two decisions of a person at the same instant', () => {
    const now = new Date('2026-11-01T10:00:00.000Z');
    expect(nextDecisionTime(now, null)).toEqual(now);
    expect(nextDecisionTime(now, new Date('2026-11-01T09:00:00Z'))).toEqual(now);
    expect(nextDecisionTime(now, now)).toEqual(new Date('2026-11-01T10:00:00.001Z'));
  });
});

describe('who may decide (POLICIES §4: consent for a minor is given by a parent or guardian)', () => {
  const minor = { personId: 'learner-elisa', minor: true, guardianIds: ['parent-lopez'] };
  const adult = { personId: 'learner-sam', minor: false, guardianIds: [] };

  it.each(['research', 'images'] as const)('refuses a grant of %s for a minor without a guardian deciding', (purpose) => {
    expect(guardianProblem({ purpose, decision: 'grant', reason: 'x' }, minor)).toMatch(/is a minor: a grant of .* must be decided by a parent or guardian/);
  });

  it.each(['research', 'images'] as const)('refuses a grant of %s for a minor decided by someone who is not their guardian', (purpose) => {
    expect(guardianProblem({ purpose, decision: 'grant', decidedBy: 'parent-smith' }, minor)).toMatch(/parent-smith is not a parent or guardian of this learner/);
    expect(guardianProblem({ purpose, decision: 'grant', decidedBy: 'learner-elisa' }, minor)).toMatch(/is not a parent or guardian/);
  });

  it('accepts a grant for a minor decided by a parent named in a session', () => {
    expect(guardianProblem({ purpose: 'images', decision: 'grant', decidedBy: 'parent-lopez', reason: 'worksheet photo' }, minor)).toBeNull();
  });

  it('honours a video opt-out asked by the learner themselves, a parent, or with nobody named', () => {
    for (const decidedBy of [undefined, 'learner-elisa', 'parent-lopez']) {
      expect(guardianProblem({ purpose: 'video_recording', decision: 'withdraw', decidedBy }, minor)).toBeNull();
    }
  });

  it('lets an adult learner grant for themselves', () => {
    expect(guardianProblem({ purpose: 'research', decision: 'grant' }, adult)).toBeNull();
    expect(guardianProblem({ purpose: 'images', decision: 'grant', decidedBy: 'learner-sam', reason: 'x' }, adult)).toBeNull();
  });

  it('never names a stranger as the one who decided', () => {
    expect(guardianProblem({ purpose: 'video_recording', decision: 'withdraw', decidedBy: 'tutor-rivera' }, minor)).toMatch(/neither learner-elisa nor a parent/);
  });
});

describe('the shape of a decision', () => {
  it('requires a reason for images: why the picture is taken', () => {
    expect(() => checkConsentInput({ purpose: 'images', decision: 'grant' })).toThrow(InvalidConsent);
    expect(() => checkConsentInput({ purpose: 'images', decision: 'grant', reason: '  ' })).toThrow('reason is required for images');
    expect(() => checkConsentInput({ purpose: 'images', decision: 'grant', reason: 'photo of the science project' })).not.toThrow();
  });

  it('names a study only for research', () => {
    expect(() => checkConsentInput({ purpose: 'video_recording', decision: 'withdraw', studyId: 'sat-2026' })).toThrow('studyId is only for the research purpose');
    expect(() => checkConsentInput({ purpose: 'research', decision: 'withdraw', studyId: 'sat-2026' })).not.toThrow();
  });
});

describe('viewing terms: a family accepting never to share a class recording (POLICIES §3)', () => {
  it('is a purpose of the ledger, decided by the person themselves, the latest decision winning', () => {
    expect(CONSENT_PURPOSES).toContain('viewing_terms');
    const input = { purpose: 'viewing_terms' as const, decision: 'grant' as const, decidedBy: 'parent-ana' };
    expect(() => checkConsentInput(input)).not.toThrow();
    expect(guardianProblem(input, { personId: 'parent-ana', minor: false, guardianIds: [] })).toBeNull();
    const accepted = decision({ purpose: 'viewing_terms', decision: 'grant', personId: 'parent-ana' }, '2026-11-01T10:00:00Z');
    const withdrawn = decision({ purpose: 'viewing_terms', decision: 'withdraw', personId: 'parent-ana' }, '2026-11-02T10:00:00Z');
    expect(currentConsent([accepted], 'viewing_terms')?.decision).toBe('grant');
    expect(currentConsent([withdrawn, accepted], 'viewing_terms')?.decision).toBe('withdraw');
    expect(currentConsent([accepted], 'images')).toBeNull();
  });
});
