/**
 * Realistic talk-time figures for a seeded report (pure: no database). The 5-minute bins are made
 * first — each bin busy 80–90% of its length, the tutor's part higher at the start and end of a
 * session (explaining, wrapping up) than in the middle (learners practising) — and every total is
 * then summed from them, so a report is consistent with itself whatever its shape.
 */
export const BIN_SECONDS = 300;

export interface TalkShape {
  sessionSeconds: number;
  tutorId: string;
  /** The tutor's part of talk in an average bin (0..1). */
  tutorLean: number;
  /** Each learner's weight in learner talk; 0 = never spoke. */
  learners: Array<{ personId: string; weight: number }>;
  parent?: { personId: string; seconds: number };
  unattributedSeconds?: number;
  questions: number | null;
  meanWaitSeconds: number | null;
  longestMonologueSeconds: number;
}

export interface Bin {
  startSeconds: number;
  tutorSeconds: number;
  learnerSeconds: number;
  parentSeconds: number;
  unattributedSeconds: number;
}

export interface SeededSpeaker {
  personId: string;
  role: 'tutor' | 'learner' | 'parent';
  seconds: number;
  turns: number;
  share: number | null;
}

export interface TalkFigures {
  /** The session's aggregates as talk_time_reports.metrics holds them. */
  metrics: {
    sessionSeconds: number;
    tutorSeconds: number;
    learnerSeconds: number;
    parentSeconds: number;
    unattributedSeconds: number;
    tutorShare: number | null;
    unattributedSpeakers: number;
    tutor: { longestMonologueSeconds: number; meanTurnSeconds: number | null; turns: number; questions: number | null; meanWaitSeconds: number | null; unansweredQuestions: number | null };
    overlapSeconds: number;
    silenceSeconds: number;
    bins: Bin[];
  };
  /** One row per roster person (talk_time_speakers). */
  speakers: SeededSpeaker[];
}

const r1 = (n: number) => Math.round(n * 10) / 10;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

export function talkFigures(shape: TalkShape): TalkFigures {
  const n = Math.ceil(shape.sessionSeconds / BIN_SECONDS);
  const parentTotal = shape.parent?.seconds ?? 0;
  const unattributedTotal = shape.unattributedSeconds ?? 0;
  const learnersSpeak = sum(shape.learners.map((l) => l.weight)) > 0;
  const bins: Bin[] = Array.from({ length: n }, (_, i) => {
    const length = Math.min(BIN_SECONDS, shape.sessionSeconds - i * BIN_SECONDS);
    const parent = r1(parentTotal / n);
    const unattributed = r1(unattributedTotal / n);
    const talk = length * (0.84 + 0.05 * Math.sin(i * 1.7)) - parent - unattributed;
    const lean = learnersSpeak ? Math.min(0.95, Math.max(0.2, shape.tutorLean + 0.14 * Math.cos((2 * Math.PI * i) / n))) : 1;
    return { startSeconds: i * BIN_SECONDS, tutorSeconds: r1(talk * lean), learnerSeconds: r1(talk * (1 - lean)), parentSeconds: parent, unattributedSeconds: unattributed };
  });
  const tutorSeconds = r1(sum(bins.map((b) => b.tutorSeconds)));
  const learnerSeconds = r1(sum(bins.map((b) => b.learnerSeconds)));
  const parentSeconds = r1(sum(bins.map((b) => b.parentSeconds)));
  const unattributedSeconds = r1(sum(bins.map((b) => b.unattributedSeconds)));
  const tutorShare = tutorSeconds + learnerSeconds > 0 ? Math.round((tutorSeconds / (tutorSeconds + learnerSeconds)) * 1000) / 1000 : null;
  const weights = sum(shape.learners.map((l) => l.weight));
  const tutorTurns = Math.round(tutorSeconds / 22);
  const speakers: SeededSpeaker[] = [
    { personId: shape.tutorId, role: 'tutor', seconds: tutorSeconds, turns: tutorTurns, share: tutorShare },
    ...shape.learners.map((l) => ({
      personId: l.personId,
      role: 'learner' as const,
      seconds: weights > 0 ? r1((learnerSeconds * l.weight) / weights) : 0,
      turns: weights > 0 ? Math.round((learnerSeconds * l.weight) / weights / 9) : 0,
      share: weights > 0 ? Math.round((l.weight / weights) * 1000) / 1000 : null,
    })),
    ...(shape.parent ? [{ personId: shape.parent.personId, role: 'parent' as const, seconds: parentSeconds, turns: Math.ceil(parentSeconds / 15), share: null }] : []),
  ];
  const spoken = tutorSeconds + learnerSeconds + parentSeconds + unattributedSeconds;
  return {
    metrics: {
      sessionSeconds: shape.sessionSeconds,
      tutorSeconds,
      learnerSeconds,
      parentSeconds,
      unattributedSeconds,
      tutorShare,
      unattributedSpeakers: unattributedSeconds > 0 ? 1 : 0,
      tutor: {
        longestMonologueSeconds: shape.longestMonologueSeconds,
        meanTurnSeconds: tutorTurns > 0 ? r1(tutorSeconds / tutorTurns) : null,
        turns: tutorTurns,
        questions: shape.questions,
        meanWaitSeconds: shape.meanWaitSeconds,
        unansweredQuestions: shape.questions === null ? null : Math.floor(shape.questions / 6),
      },
      overlapSeconds: r1(spoken * 0.03),
      silenceSeconds: r1(Math.max(0, shape.sessionSeconds - spoken * 0.97)),
      bins,
    },
    speakers,
  };
}
