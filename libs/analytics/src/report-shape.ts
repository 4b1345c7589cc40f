import type { TalkTimeReport } from '@lib/text';
import type { ReportRow, SpeakerRow, StoredMetrics } from './talk-time.repository';

type PersonalParts = 'speakers' | 'learners' | 'silentLearners' | 'source';
export type SessionAggregates = Omit<TalkTimeReport, PersonalParts>;

/** What a report row keeps for the session: everything but the per-person parts (their own rows). */
export function storedMetrics(report: TalkTimeReport): StoredMetrics {
  const { speakers: _s, learners: _l, silentLearners: _q, source: _src, ...aggregates } = report;
  return aggregates as unknown as StoredMetrics;
}

/** One row per roster person, silent ones included; a learner's share is of all learner time. */
export function storedSpeakers(report: TalkTimeReport) {
  const learnerShare = new Map(report.learners.map((l) => [l.personId, l.share]));
  return report.speakers.map((s) => ({
    personId: s.personId,
    role: s.role,
    seconds: s.seconds,
    turns: s.turns,
    share: s.role === 'learner' ? (learnerShare.get(s.personId) ?? null) : s.share,
  }));
}

export interface TalkTimeView extends SessionAggregates {
  recordingId: string;
  sessionId: string | null;
  source: TalkTimeReport['source'];
  analysedAt: string;
  speakers: Array<{ personId: string; displayName: string | null; role: 'tutor' | 'learner' | 'parent'; seconds: number; turns: number; share: number | null }>;
  learners: Array<{ personId: string; seconds: number; share: number | null }>;
  silentLearners: string[];
}

/** The report as the API gives it (CONTRACT talk-time JSON and more): rows joined back together. */
export function talkTimeView(row: ReportRow, speakers: readonly SpeakerRow[]): TalkTimeView {
  const own = speakers.filter((s) => s.report_id === row.id);
  const learners = own.filter((s) => s.role === 'learner');
  return {
    ...(row.metrics as unknown as SessionAggregates),
    recordingId: row.recording_id,
    sessionId: row.session_id,
    source: row.source,
    analysedAt: row.analysed_at.toISOString(),
    speakers: own.map((s) => ({ personId: s.person_id, displayName: s.display_name, role: s.role, seconds: s.seconds, turns: s.turns, share: s.share })),
    learners: learners.map((s) => ({ personId: s.person_id, seconds: s.seconds, share: s.share })),
    silentLearners: learners.filter((s) => s.seconds === 0).map((s) => s.person_id),
  };
}
