import { computeTalkTime, TalkTimeInput } from './talk-time';
import { TalkRosterPerson, Utterance } from './talk-time-input';
import { TalkTimeInputInvalid } from './text-errors';

const roster: TalkRosterPerson[] = [
  { personId: 'tutor', displayName: 'Jane Doe', role: 'tutor' },
  { personId: 'ana', displayName: 'Ana Rivera', role: 'learner' },
  { personId: 'ben', displayName: 'Ben Okafor', role: 'learner' },
  { personId: 'mum', displayName: 'Grace Okafor', role: 'parent' },
];
const u = (personId: string | null, startSeconds: number, endSeconds: number, unattributedKey?: string): Utterance => ({
  personId,
  startSeconds,
  endSeconds,
  unattributedKey,
});
const report = (utterances: Utterance[], extra: Partial<TalkTimeInput> = {}) =>
  computeTalkTime({ source: 'transcript', roster, utterances, ...extra });

function invalid(input: Partial<TalkTimeInput>): TalkTimeInputInvalid {
  try {
    computeTalkTime({ source: 'transcript', roster, utterances: [], ...input });
  } catch (e) {
    if (e instanceof TalkTimeInputInvalid) return e;
    throw e;
  }
  throw new Error('expected TalkTimeInputInvalid');
}

describe('computeTalkTime: seconds per person and role', () => {
  it('counts overlapping cues of one speaker once', () => {
    const r = report([u('tutor', 0, 10), u('tutor', 5, 12), u('tutor', 6, 8)]);
    expect(r.tutorSeconds).toBe(12);
    expect(r.speakers[0].seconds).toBe(12);
  });

  it('sums learners over their own unions, never merging two learners who talk at once', () => {
    const r = report([u('ana', 0, 10), u('ben', 5, 15)]);
    expect(r.learnerSeconds).toBe(20);
    expect(r.learners).toEqual([
      { personId: 'ana', seconds: 10, share: 0.5 },
      { personId: 'ben', seconds: 10, share: 0.5 },
    ]);
  });

  it('puts speech that matches nobody into one union, and counts the distinct unattributed speakers', () => {
    const r = report([u(null, 0, 4, 'u1'), u(null, 2, 6, 'u2'), u(null, 8, 9, 'u1')]);
    expect(r.unattributedSeconds).toBe(7);
    expect(r.unattributedSpeakers).toBe(2);
  });

  it('counts unattributed speech without a key as seconds but not as a speaker', () => {
    const r = report([u(null, 0, 4)]);
    expect(r).toMatchObject({ unattributedSeconds: 4, unattributedSpeakers: 0 });
  });

  it('computes tutorShare from tutor and learner seconds alone', () => {
    const r = report([u('tutor', 0, 30), u('ana', 30, 40), u('mum', 40, 100)]);
    expect(r).toMatchObject({ tutorSeconds: 30, learnerSeconds: 10, parentSeconds: 60, tutorShare: 0.75 });
  });

  it('lists every roster person in roster order, silent ones with zero seconds and no turns', () => {
    const r = report([u('ben', 0, 3)]);
    expect(r.speakers.map((s) => [s.personId, s.role, s.seconds, s.turns])).toEqual([
      ['tutor', 'tutor', 0, 0],
      ['ana', 'learner', 0, 0],
      ['ben', 'learner', 3, 1],
      ['mum', 'parent', 0, 0],
    ]);
    expect(r.speakers[0].displayName).toBe('Jane Doe');
    expect(r.silentLearners).toEqual(['ana']);
  });

  it('gives each speaker a share of all talk, unattributed speech included', () => {
    const r = report([u('tutor', 0, 6), u('ana', 6, 8), u(null, 8, 10, 'u1')]);
    expect(r.speakers.map((s) => s.share)).toEqual([0.6, 0.2, 0, 0]);
  });

  it('sums tenth-second cues without floating-point drift', () => {
    const r = report([u('tutor', 0, 0.1), u('tutor', 0.1, 0.3), u('ana', 0.3, 0.7)]);
    expect(r.tutorSeconds).toBe(0.3);
    expect(r.sessionSeconds).toBe(0.7);
  });

  it('rounds seconds to three decimals and shares to three decimals', () => {
    const r = report([u('tutor', 0, 1.23456), u('ana', 2, 4.0004)]);
    expect(r.tutorSeconds).toBe(1.235);
    expect(r.learnerSeconds).toBe(2);
    expect(r.tutorShare).toBe(0.382);
  });

  it('runs the session from the first start to the latest end, not the last cue end', () => {
    const r = report([u('tutor', 5, 100), u('ana', 10, 20)]);
    expect(r.sessionSeconds).toBe(95);
  });
});

describe('computeTalkTime: overlap, silence and bins', () => {
  it('measures the time when two or more people speak at once', () => {
    const r = report([u('tutor', 0, 10), u('ana', 5, 15), u('ben', 8, 12)]);
    expect(r.overlapSeconds).toBe(7);
  });

  it("does not take one speaker's overlapping cues for an overlap", () => {
    expect(report([u('tutor', 0, 10), u('tutor', 2, 12)]).overlapSeconds).toBe(0);
  });

  it('counts an unattributed speaker talking over the tutor as overlap, and two unattributed speakers too', () => {
    expect(report([u('tutor', 0, 10), u(null, 8, 12, 'u1')]).overlapSeconds).toBe(2);
    expect(report([u(null, 0, 10, 'u1'), u(null, 8, 12, 'u2')]).overlapSeconds).toBe(2);
  });

  it('measures silence within the session window, the given end included', () => {
    const r = report([u('tutor', 0, 5), u('ana', 10, 15)], { sessionStartSeconds: 0, sessionEndSeconds: 20 });
    expect(r).toMatchObject({ sessionSeconds: 20, silenceSeconds: 10 });
  });

  it('splits speech across a 5-minute boundary between the two bins', () => {
    const r = report([u('tutor', 290, 310), u('ana', 0, 1)]);
    expect(r.bins).toEqual([
      { startSeconds: 0, tutorSeconds: 10, learnerSeconds: 1, parentSeconds: 0, unattributedSeconds: 0 },
      { startSeconds: 300, tutorSeconds: 10, learnerSeconds: 0, parentSeconds: 0, unattributedSeconds: 0 },
    ]);
  });

  it('starts the bins at the session start and ends with a shorter bin', () => {
    const r = report([u('ana', 100, 110), u('ben', 395, 405), u('mum', 700, 750)]);
    expect(r.bins.map((b) => [b.startSeconds, b.learnerSeconds, b.parentSeconds])).toEqual([
      [100, 15, 0],
      [400, 5, 0],
      [700, 0, 50],
    ]);
  });

  it('sums learners per bin like learnerSeconds, and bins add up to the totals', () => {
    const r = report([u('tutor', 0, 400), u('ana', 250, 350), u('ben', 250, 350), u(null, 500, 650, 'u1')]);
    expect(r.bins[0].learnerSeconds).toBe(100);
    const total = (key: 'tutorSeconds' | 'learnerSeconds' | 'unattributedSeconds') => r.bins.reduce((a, b) => a + b[key], 0);
    expect([total('tutorSeconds'), total('learnerSeconds'), total('unattributedSeconds')]).toEqual([
      r.tutorSeconds,
      r.learnerSeconds,
      r.unattributedSeconds,
    ]);
  });

  it('cuts speech outside a given session window', () => {
    const r = report([u('tutor', 0, 50)], { sessionStartSeconds: 10, sessionEndSeconds: 30 });
    expect(r).toMatchObject({ sessionSeconds: 20, tutorSeconds: 20, silenceSeconds: 0 });
  });
});

describe('computeTalkTime: empty and garbage input', () => {
  it('gives a valid zero report, with nulls and no NaN, when nobody spoke', () => {
    const r = report([]);
    expect(r).toEqual({
      source: 'transcript',
      sessionSeconds: 0,
      tutorSeconds: 0,
      learnerSeconds: 0,
      parentSeconds: 0,
      unattributedSeconds: 0,
      tutorShare: null,
      speakers: roster.map((p) => ({ ...p, seconds: 0, turns: 0, share: null })),
      learners: [
        { personId: 'ana', seconds: 0, share: null },
        { personId: 'ben', seconds: 0, share: null },
      ],
      silentLearners: ['ana', 'ben'],
      unattributedSpeakers: 0,
      tutor: { longestMonologueSeconds: 0, meanTurnSeconds: null, turns: 0, questions: 0, meanWaitSeconds: null, unansweredQuestions: 0 },
      overlapSeconds: 0,
      silenceSeconds: 0,
      bins: [],
    });
  });

  it('gives an empty roster and no speech a zero report too', () => {
    const r = computeTalkTime({ source: 'timeline', roster: [], utterances: [] });
    expect(r).toMatchObject({ speakers: [], learners: [], silentLearners: [], tutorShare: null });
  });

  it('fills a known session window with silence and empty bins when nobody spoke', () => {
    const r = report([], { sessionStartSeconds: 0, sessionEndSeconds: 360 });
    expect(r).toMatchObject({ sessionSeconds: 360, silenceSeconds: 360 });
    expect(r.bins.map((b) => b.startSeconds)).toEqual([0, 300]);
  });

  it.each([
    ['a start that is not a number', [u('tutor', NaN, 2)], 'utterance 1: startSeconds is not a finite number'],
    ['an infinite end', [u('tutor', 0, 1), u('ana', 1, Infinity)], 'utterance 2: endSeconds is not a finite number'],
    ['an end before the start', [u('tutor', 5, 4)], 'utterance 1: it ends before it starts'],
    ['a negative time', [u('tutor', -1, 4)], 'utterance 1: startSeconds is negative'],
    ['a person missing from the roster', [u('stranger', 0, 1)], 'utterance 1: its person is not on the roster'],
  ])('refuses %s with a clear error', (_, utterances, message) => {
    expect(invalid({ utterances }).message).toBe(`talk time: ${message}`);
  });

  it('refuses a session that ends before it starts', () => {
    expect(invalid({ sessionStartSeconds: 10, sessionEndSeconds: 5 }).message).toBe('talk time: session: it ends before it starts');
  });

  it('refuses a roster with a person twice or an unknown role, without naming anyone', () => {
    const twice = invalid({ roster: [...roster, roster[1]] });
    expect(twice.message).toBe('talk time: roster entry 5: the person is on the roster twice');
    const role = invalid({ roster: [{ personId: 'x', displayName: 'Zoë Ng', role: 'teacher' as never }] });
    expect(role.message).toBe('talk time: roster entry 1: role is not tutor, learner or parent');
    const nameless = invalid({ roster: [{ personId: 'x', role: 'learner' } as TalkRosterPerson] });
    expect(nameless.message).toBe('talk time: roster entry 1: no displayName');
  });
});
