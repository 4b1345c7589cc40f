import { computeTalkTime } from './talk-time';
import { TalkRosterPerson, TalkTimeSource, Utterance } from './talk-time-input';
import { countQuestions } from './talk-time-turns';

const roster: TalkRosterPerson[] = [
  { personId: 'tutor', displayName: 'Jane Doe', role: 'tutor' },
  { personId: 'ana', displayName: 'Ana Rivera', role: 'learner' },
  { personId: 'ben', displayName: 'Ben Okafor', role: 'learner' },
  { personId: 'mum', displayName: 'Grace Okafor', role: 'parent' },
];
const u = (personId: string | null, startSeconds: number, endSeconds: number, text?: string): Utterance => ({
  personId,
  startSeconds,
  endSeconds,
  text,
  unattributedKey: personId === null ? 'u1' : undefined,
});
const tutor = (utterances: Utterance[], source: TalkTimeSource = 'transcript') =>
  computeTalkTime({ source, roster, utterances }).tutor;
const turnsOf = (utterances: Utterance[]) =>
  Object.fromEntries(computeTalkTime({ source: 'transcript', roster, utterances }).speakers.map((s) => [s.personId, s.turns]));

describe('turns', () => {
  it('ends a tutor turn when a learner starts to speak, even over the tutor', () => {
    const utterances = [u('tutor', 0, 10), u('ana', 5, 6), u('tutor', 10, 20)];
    expect(turnsOf(utterances)).toEqual({ tutor: 2, ana: 1, ben: 0, mum: 0 });
    expect(tutor(utterances)).toMatchObject({ turns: 2, longestMonologueSeconds: 10, meanTurnSeconds: 10 });
  });

  it("keeps the tutor's consecutive cues one turn across a pause, lasting only the time spoken", () => {
    expect(tutor([u('tutor', 0, 10), u('tutor', 30, 40)])).toMatchObject({ turns: 1, longestMonologueSeconds: 20 });
  });

  it('counts overlapping cues inside one turn once in its length', () => {
    expect(tutor([u('tutor', 0, 10), u('tutor', 5, 15)])).toMatchObject({ turns: 1, longestMonologueSeconds: 15 });
  });

  it('takes the longest tutor turn as the monologue and averages the turns', () => {
    const t = tutor([u('tutor', 0, 10), u('ana', 10, 12), u('tutor', 12, 16), u('ben', 16, 17), u('tutor', 17, 18)]);
    expect(t).toMatchObject({ turns: 3, longestMonologueSeconds: 10, meanTurnSeconds: 5 });
  });

  it('ends a turn at an unattributed speaker or a parent too', () => {
    expect(tutor([u('tutor', 0, 5), u(null, 5, 6), u('tutor', 6, 8), u('mum', 8, 9), u('tutor', 9, 10)]).turns).toBe(3);
  });

  it('takes utterances that start together in input order', () => {
    expect(turnsOf([u('tutor', 0, 5), u('ana', 5, 6), u('tutor', 5, 7)])).toMatchObject({ tutor: 2, ana: 1 });
    expect(turnsOf([u('tutor', 0, 5), u('tutor', 5, 7), u('ana', 5, 6)])).toMatchObject({ tutor: 1, ana: 1 });
  });

  it('rounds the mean turn to the millisecond', () => {
    expect(tutor([u('tutor', 0, 1), u('ana', 1, 2), u('tutor', 2, 3), u('ana', 3, 4), u('tutor', 4, 4.001)]).meanTurnSeconds).toBe(0.667);
  });
});

describe('countQuestions', () => {
  it.each([
    ['Ready? What is two plus two?', 2],
    ['Really?!', 1],
    ['Is it (x)?', 1],
    ['"Why?" she asked.', 1],
    ['Are you sure??', 1],
    ['Open example.org/page?id=3 now.', 0],
    ['No question here.', 0],
    ['Is it\nthis one?\nOr that?', 2],
  ])('counts the sentences ending in a question mark in %j as %d', (text, count) => {
    expect(countQuestions(text)).toBe(count);
  });
});

describe('tutor questions and wait time', () => {
  it('measures the wait from the end of the question to the start of the next learner utterance', () => {
    expect(tutor([u('tutor', 0, 5, 'What is x?'), u('ana', 8, 10)])).toMatchObject({ questions: 1, meanWaitSeconds: 3, unansweredQuestions: 0 });
  });

  it('waits zero when a learner is already speaking as the question ends', () => {
    expect(tutor([u('tutor', 0, 5, 'What is x?'), u('ana', 4, 6)]).meanWaitSeconds).toBe(0);
  });

  it("ignores a learner's remark that ended before the question did", () => {
    expect(tutor([u('tutor', 0, 5, 'What is x?'), u('ben', 1, 2), u('ana', 9, 10)]).meanWaitSeconds).toBe(4);
  });

  it('counts a question unanswered when the tutor asks again before any learner speaks, and leaves it out of the mean', () => {
    const t = tutor([u('tutor', 0, 5, 'A?'), u('tutor', 10, 12, 'B?'), u('ana', 14, 15)]);
    expect(t).toMatchObject({ questions: 2, unansweredQuestions: 1, meanWaitSeconds: 2 });
  });

  it('lets tutor talk that asks nothing pass without ending the wait', () => {
    const t = tutor([u('tutor', 0, 5, 'A?'), u('tutor', 6, 9, 'Take your time.'), u('ana', 11, 12)]);
    expect(t).toMatchObject({ unansweredQuestions: 0, meanWaitSeconds: 6 });
  });

  it('counts a question unanswered when nobody answers before the end', () => {
    expect(tutor([u('ana', 0, 2), u('tutor', 2, 5, 'Anyone?')])).toMatchObject({ questions: 1, unansweredQuestions: 1, meanWaitSeconds: null });
  });

  it('treats stacked questions in one utterance as asked together: only the last can be answered', () => {
    const t = tutor([u('tutor', 0, 5, 'Ready? What is two plus two? Or three?'), u('ana', 6, 7)]);
    expect(t).toMatchObject({ questions: 3, unansweredQuestions: 2, meanWaitSeconds: 1 });
  });

  it('does not take a parent or an unattributed reply for an answer', () => {
    const t = tutor([u('tutor', 0, 5, 'Why?'), u('mum', 5, 6), u(null, 6, 7), u('ben', 10, 11)]);
    expect(t.meanWaitSeconds).toBe(5);
  });

  it('averages the waits of the answered questions, rounded to the millisecond', () => {
    const t = tutor([u('tutor', 0, 1, 'A?'), u('ana', 1.001, 2), u('tutor', 3, 4, 'B?'), u('ben', 4, 5), u('tutor', 6, 7, 'C?'), u('ana', 7.001, 8)]);
    expect(t).toMatchObject({ questions: 3, unansweredQuestions: 0, meanWaitSeconds: 0.001 });
  });

  it("counts only the tutor's questions", () => {
    expect(tutor([u('ana', 0, 2, 'Can I go?'), u('tutor', 2, 3, 'Yes.')]).questions).toBe(0);
  });

  it('gives null questions when the source has no words', () => {
    expect(tutor([u('tutor', 0, 5), u('ana', 6, 7)], 'timeline')).toMatchObject({ questions: null, meanWaitSeconds: null, unansweredQuestions: null });
  });
});
