/**
 * A tutor's trends (issue 13 item 5): each metric over their last N sessions, read against the
 * median of the same metric over their programs' sessions (every tutor's). Pure: the service
 * loads the rows, this decides what they say.
 */
export interface FeedbackSession {
  recordingId: string;
  startedAt: Date | null;
  metrics: {
    sessionSeconds?: number;
    tutorShare?: number | null;
    tutor?: { longestMonologueSeconds?: number; meanTurnSeconds?: number | null; questions?: number | null; meanWaitSeconds?: number | null };
  };
}

export const TREND_METRICS = ['tutorShare', 'longestMonologueSeconds', 'meanTurnSeconds', 'questionsPerHour', 'meanWaitSeconds'] as const;
export type TrendMetric = (typeof TREND_METRICS)[number];

export interface Trend {
  metric: TrendMetric;
  /** Oldest first: the points of the chart. Null where the session's source cannot say (questions from audio). */
  points: Array<{ recordingId: string; startedAt: string | null; value: number | null }>;
  tutorMean: number | null;
  programMedian: number | null;
  /** tutorMean − programMedian. */
  difference: number | null;
  /** The newer half of the tutor's sessions against the older half (at least 4 sessions with a value). */
  direction: 'rising' | 'falling' | 'steady' | null;
  programSessions: number;
}

/** Changes smaller than this share of the metric's level read as steady. */
const STEADY = 0.05;

export function metricValue(session: FeedbackSession, metric: TrendMetric): number | null {
  const m = session.metrics;
  switch (metric) {
    case 'tutorShare':
      return m.tutorShare ?? null;
    case 'longestMonologueSeconds':
      return m.tutor?.longestMonologueSeconds ?? null;
    case 'meanTurnSeconds':
      return m.tutor?.meanTurnSeconds ?? null;
    case 'meanWaitSeconds':
      return m.tutor?.meanWaitSeconds ?? null;
    case 'questionsPerHour': {
      const q = m.tutor?.questions;
      const s = m.sessionSeconds ?? 0;
      return q === null || q === undefined || s <= 0 ? null : round((q * 3600) / s);
    }
  }
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function direction(values: readonly number[]): Trend['direction'] {
  if (values.length < 4) return null;
  const half = Math.floor(values.length / 2);
  const older = mean(values.slice(0, half))!;
  const newer = mean(values.slice(values.length - half))!;
  const scale = Math.max(Math.abs(older), Math.abs(newer), 1e-9);
  if (Math.abs(newer - older) <= STEADY * scale) return 'steady';
  return newer > older ? 'rising' : 'falling';
}

/** `tutor` newest first (as read); `program` the programs' sessions, this tutor's included. */
export function feedbackTrends(tutor: readonly FeedbackSession[], program: readonly FeedbackSession[]): Trend[] {
  const oldestFirst = [...tutor].reverse();
  return TREND_METRICS.map((metric) => {
    const points = oldestFirst.map((s) => ({ recordingId: s.recordingId, startedAt: s.startedAt?.toISOString() ?? null, value: metricValue(s, metric) }));
    const values = points.map((p) => p.value).filter((v): v is number => v !== null);
    const baseline = program.map((s) => metricValue(s, metric)).filter((v): v is number => v !== null);
    const tutorMean = mean(values);
    const programMedian = median(baseline);
    return {
      metric,
      points,
      tutorMean: tutorMean === null ? null : round(tutorMean),
      programMedian: programMedian === null ? null : round(programMedian),
      difference: tutorMean === null || programMedian === null ? null : round(tutorMean - programMedian),
      direction: direction(values),
      programSessions: baseline.length,
    };
  });
}
