import { buildQueue, inQualitySample, QueueCandidate } from './review-queue';

const staff = { personId: 'rev-1', assignedOnly: false };
const at = (iso: string) => new Date(iso);
function candidate(id: string, overrides: Partial<QueueCandidate> = {}): QueueCandidate {
  return { recordingId: id, sessionId: `session-${id}`, startedAt: at('2026-01-01T10:00:00Z'), flagged: false, assignments: [], ...overrides };
}
/** Session ids in and out of a 10 % sample (found by the rule itself, so the test names real ids). */
const keys = Array.from({ length: 400 }, (_, i) => `s-${i}`);
const sampled = keys.filter((k) => inQualitySample(k, 0.1));
const unsampled = keys.filter((k) => !inQualitySample(k, 0.1));

describe('quality sampling', () => {
  it('samples about the configured share of sessions', () => {
    const share = Array.from({ length: 10_000 }, (_, i) => `session-${i}`).filter((k) => inQualitySample(k, 0.1)).length / 10_000;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.12);
  });

  it('gives the same answer for the same session every time', () => {
    for (const k of keys.slice(0, 50)) expect(inQualitySample(k, 0.3)).toBe(inQualitySample(k, 0.3));
  });

  it('keeps every session sampled at a share when the share grows', () => {
    for (const k of sampled) expect(inQualitySample(k, 0.5)).toBe(true);
  });

  it('samples nothing at share 0 and everything at share 1', () => {
    expect(keys.some((k) => inQualitySample(k, 0))).toBe(false);
    expect(keys.every((k) => inQualitySample(k, 1))).toBe(true);
  });
});

describe('the review queue', () => {
  it('leaves out recordings neither flagged, assigned nor sampled', () => {
    const view = buildQueue([candidate('a', { sessionId: unsampled[0] })], 0.1, staff);
    expect(view.items).toEqual([]);
  });

  it('lists sampled, assigned and flagged recordings with every reason that put them there', () => {
    const view = buildQueue(
      [
        candidate('s', { sessionId: sampled[0] }),
        candidate('a', { sessionId: unsampled[0], assignments: [{ reviewerId: 'vol-1', team: 'peer' }] }),
        candidate('f', { sessionId: sampled[1], flagged: true }),
      ],
      0.1,
      staff,
    );
    expect(Object.fromEntries(view.items.map((i) => [i.recordingId, i.reasons]))).toEqual({ f: ['flagged', 'sampled'], s: ['sampled'], a: ['assigned'] });
  });

  it('samples a recording of no registered session by its own id', () => {
    expect(buildQueue([candidate(sampled[0], { sessionId: null })], 0.1, staff).items.map((i) => i.recordingId)).toEqual([sampled[0]]);
    expect(buildQueue([candidate(unsampled[0], { sessionId: null })], 0.1, staff).items).toEqual([]);
  });

  it('puts flagged sessions first, then the newest, then by id', () => {
    const view = buildQueue(
      [
        candidate('old', { startedAt: at('2026-01-01T08:00:00Z') }),
        candidate('new-b', { startedAt: at('2026-01-02T08:00:00Z') }),
        candidate('new-a', { startedAt: at('2026-01-02T08:00:00Z') }),
        candidate('flagged-old', { startedAt: at('2025-12-01T08:00:00Z'), flagged: true }),
      ],
      1,
      staff,
    );
    expect(view.items.map((i) => i.recordingId)).toEqual(['flagged-old', 'new-a', 'new-b', 'old']);
  });

  it('shows a volunteer reviewer only the recordings assigned to them', () => {
    const view = buildQueue(
      [
        candidate('mine', { assignments: [{ reviewerId: 'vol-1', team: 'peer' }] }),
        candidate('theirs', { assignments: [{ reviewerId: 'vol-2', team: 'peer' }] }),
        candidate('sampled', { sessionId: sampled[0] }),
      ],
      0.1,
      { personId: 'vol-1', assignedOnly: true },
    );
    expect(view.items.map((i) => i.recordingId)).toEqual(['mine']);
  });

  it('keeps only one team’s assignments when a team is asked for', () => {
    const view = buildQueue(
      [
        candidate('peer', { assignments: [{ reviewerId: 'vol-1', team: 'peer' }] }),
        candidate('safety', { assignments: [{ reviewerId: 'vol-2', team: 'safety' }] }),
        candidate('sampled', { sessionId: sampled[0] }),
      ],
      0.1,
      staff,
      'peer',
    );
    expect(view.items.map((i) => i.recordingId)).toEqual(['peer']);
  });

  it('lists each team’s assigned recordings once, in queue order, teams by name', () => {
    const view = buildQueue(
      [
        candidate('r1', { startedAt: at('2026-01-01T08:00:00Z'), assignments: [{ reviewerId: 'v1', team: 'peer' }, { reviewerId: 'v2', team: 'peer' }] }),
        candidate('r2', { startedAt: at('2026-01-03T08:00:00Z'), assignments: [{ reviewerId: 'v1', team: 'peer' }, { reviewerId: 'v3', team: 'mentor' }] }),
        candidate('r3', { sessionId: sampled[0] }),
      ],
      0.1,
      staff,
    );
    expect(view.teams).toEqual([
      { team: 'mentor', recordingIds: ['r2'] },
      { team: 'peer', recordingIds: ['r2', 'r1'] },
    ]);
  });

  it('is empty with no candidates', () => {
    expect(buildQueue([], 0.1, staff)).toEqual({ items: [], teams: [] });
  });
});
