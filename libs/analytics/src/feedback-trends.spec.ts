import { FeedbackSession, feedbackTrends, median, metricValue } from './feedback-trends';

const session = (id: string, tutorShare: number | null, extra: Partial<FeedbackSession['metrics']['tutor']> = {}, sessionSeconds = 3600): FeedbackSession => ({
  recordingId: id,
  startedAt: new Date(`2026-11-${String(10 + Number(id.replace(/\D/g, '') || 0)).padStart(2, '0')}T15:00:00Z`),
  metrics: { sessionSeconds, tutorShare, tutor: { longestMonologueSeconds: 60, meanTurnSeconds: 10, questions: 12, meanWaitSeconds: 2, ...extra } },
});

describe('a tutor’s feedback trends', () => {
  it('reads the tutor’s mean against the program’s median, metric by metric', () => {
    const tutor = [session('r3', 0.7), session('r2', 0.6), session('r1', 0.5)];
    const program = [...tutor, session('o1', 0.4), session('o2', 0.45)];
    const share = feedbackTrends(tutor, program).find((t) => t.metric === 'tutorShare')!;
    expect(share.tutorMean).toBe(0.6);
    expect(share.programMedian).toBe(0.5);
    expect(share.difference).toBe(0.1);
    expect(share.programSessions).toBe(5);
  });

  it('gives the chart its points oldest first', () => {
    const share = feedbackTrends([session('r3', 0.7), session('r2', 0.6), session('r1', 0.5)], []).find((t) => t.metric === 'tutorShare')!;
    expect(share.points.map((p) => p.recordingId)).toEqual(['r1', 'r2', 'r3']);
    expect(share.programMedian).toBeNull();
    expect(share.difference).toBeNull();
  });

  it('says rising, falling or steady from the newer half against the older half, and nothing under four sessions', () => {
    const rising = [session('r4', 0.8), session('r3', 0.75), session('r2', 0.5), session('r1', 0.45)];
    const falling = [...rising].reverse().map((s, i) => ({ ...s, recordingId: `f${i}` }));
    const steady = [session('r4', 0.5), session('r3', 0.51), session('r2', 0.5), session('r1', 0.49)];
    const dir = (t: FeedbackSession[]) => feedbackTrends(t, []).find((x) => x.metric === 'tutorShare')!.direction;
    expect(dir(rising)).toBe('rising');
    expect(dir(falling)).toBe('falling');
    expect(dir(steady)).toBe('steady');
    expect(dir(rising.slice(0, 3))).toBeNull();
  });

  it('leaves out sessions whose source cannot say (questions from audio) instead of counting them as zero', () => {
    const tutor = [session('r2', 0.5, { questions: null }), session('r1', 0.5, { questions: 6 }, 1800)];
    const questions = feedbackTrends(tutor, []).find((t) => t.metric === 'questionsPerHour')!;
    expect(questions.points.map((p) => p.value)).toEqual([12, null]);
    expect(questions.tutorMean).toBe(12);
  });

  it('gives questions per hour from the count and the session length', () => {
    expect(metricValue(session('r1', 0.5, { questions: 10 }, 1800), 'questionsPerHour')).toBe(20);
    expect(metricValue(session('r1', 0.5, { questions: 10 }, 0), 'questionsPerHour')).toBeNull();
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
