import { consentExclusion, consentSnapshotHash, ResearchDecision, sessionConsent } from './research-consent';

const grant: ResearchDecision = { decision: 'grant', decisionId: 'd1' };
const withdraw: ResearchDecision = { decision: 'withdraw', decisionId: 'd2' };

describe('consent per participant at build time (POLICIES §4)', () => {
  describe.each([
    ['opt_in', grant, null],
    ['opt_in', withdraw, 'withdrawn'],
    ['opt_in', null, 'not_granted'],
    ['opt_out', grant, null],
    ['opt_out', withdraw, 'withdrawn'],
    ['opt_out', null, null],
  ] as const)('under %s with a current decision %j', (model, current, expected) => {
    it(`is ${expected ?? 'included'}`, () => expect(consentExclusion(model, current)).toBe(expected));
  });

  const roster = [
    { personId: 'tutor', role: 'tutor' as const },
    { personId: 'elisa', role: 'learner' as const },
    { personId: 'tom', role: 'learner' as const },
  ];

  it('removes a withdrawn learner and withholds the session’s audio (every voice is on it)', () => {
    const result = sessionConsent(roster, new Map([['tom', withdraw]]), 'opt_out', 'remove');
    expect(result).toEqual({ included: ['tutor', 'elisa'], excluded: [{ personId: 'tom', role: 'learner', reason: 'withdrawn' }], audio: false, dropped: false });
  });

  it('keeps audio when everyone is in', () => {
    expect(sessionConsent(roster, new Map(), 'opt_out', 'remove').audio).toBe(true);
  });

  it('under opt-in keeps only those with a grant', () => {
    const result = sessionConsent(roster, new Map([['tutor', grant], ['elisa', grant]]), 'opt_in', 'remove');
    expect(result.included).toEqual(['tutor', 'elisa']);
    expect(result.excluded.map((e) => [e.personId, e.reason])).toEqual([['tom', 'not_granted']]);
  });

  it('drops the whole session in a drop_session study when anyone is excluded', () => {
    const result = sessionConsent(roster, new Map([['tom', withdraw]]), 'opt_out', 'drop_session');
    expect(result).toMatchObject({ included: [], dropped: true, audio: false });
  });

  it('hashes the snapshot by ids and decisions, whatever the order', () => {
    const a = consentSnapshotHash([{ personId: 'x', decisionId: 'd1' }, { personId: 'y', decisionId: null }]);
    const b = consentSnapshotHash([{ personId: 'y', decisionId: null }, { personId: 'x', decisionId: 'd1' }]);
    expect(a).toBe(b);
    expect(consentSnapshotHash([{ personId: 'x', decisionId: 'd9' }, { personId: 'y', decisionId: null }])).not.toBe(a);
  });
});
