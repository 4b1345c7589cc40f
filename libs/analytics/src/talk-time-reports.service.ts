import { Inject, Injectable } from '@nestjs/common';
import { AuditTrail } from '@lib/audit';
import type { Principal } from '@lib/auth';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { mayReadSessionFeedback, mayReadTutorFeedback } from './analysis-access';
import { AnalysisRecordingNotFound, FeedbackNotAllowed, TalkTimeNotFound } from './analysis-errors';
import { AnalysisRepository } from './analysis.repository';
import { feedbackTrends, Trend } from './feedback-trends';
import { talkTimeView, TalkTimeView } from './report-shape';
import { TalkTimeRepository } from './talk-time.repository';
import { isUuid } from '@lib/database';

/** The programs' sessions a trend is read against (newest first). */
const PROGRAM_BASELINE = 1000;

export interface RecordingTalkTime extends TalkTimeView {
  /** The report lives as long as its sources: their retention class and earliest expiry. */
  retention: { class: string | null; expiresAt: string | null };
}

export interface TutorFeedback {
  tutorId: string;
  /** Newest first: the tutor's last N analysed sessions. */
  sessions: TalkTimeView[];
  trends: Trend[];
  programs: string[];
}

/** Reading talk time (issue 13 item 5): a tutor their own sessions, reviewers all; every read audited. */
@Injectable()
export class TalkTimeReports {
  constructor(
    private readonly analysis: AnalysisRepository,
    private readonly reports: TalkTimeRepository,
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async ofRecording(recordingId: string, caller: Principal): Promise<RecordingTalkTime> {
    if (!isUuid(recordingId)) throw new AnalysisRecordingNotFound();
    const recording = await this.analysis.recording(recordingId);
    if (!recording) throw new AnalysisRecordingNotFound();
    const assigned = caller.roles.includes('volunteer_reviewer') && (await this.analysis.isAssigned(recordingId, caller.personId));
    if (!mayReadSessionFeedback(caller, { tutorId: recording.tutor_id, assignedToCaller: assigned })) throw new FeedbackNotAllowed('this recording’s talk time');
    const row = await this.reports.ofRecording(recordingId);
    if (!row) throw new TalkTimeNotFound();
    const retention = await this.analysis.retentionOf(row.source_artifact_ids);
    await this.audit.append({ actorId: caller.personId, action: 'talk_time.read', subjectType: 'recording', subjectId: recordingId, details: { reportId: row.id } });
    return {
      ...talkTimeView(row, await this.reports.speakersOf([row.id])),
      retention: { class: retention?.retention_class ?? null, expiresAt: retention?.expires_at?.toISOString() ?? null },
    };
  }

  async feedback(tutorId: string, caller: Principal, sessions?: number): Promise<TutorFeedback> {
    if (!mayReadTutorFeedback(caller, tutorId)) throw new FeedbackNotAllowed('this tutor’s feedback');
    const limit = Math.min(Math.max(sessions ?? this.config.analysis.trendSessions, 1), 200);
    const own = await this.reports.ofTutor(tutorId, limit);
    const programs = [...new Set(own.map((r) => r.program).filter((p): p is string => p !== null))].sort();
    const baseline = await this.reports.ofPrograms(programs, PROGRAM_BASELINE);
    const speakers = await this.reports.speakersOf(own.map((r) => r.id));
    await this.audit.append({ actorId: caller.personId, action: 'feedback.read', subjectType: 'person', subjectId: tutorId, details: { sessions: own.length } });
    const asSession = (r: (typeof own)[number]) => ({ recordingId: r.recording_id, startedAt: r.session_started_at, metrics: r.metrics });
    return {
      tutorId,
      sessions: own.map((r) => ({ ...talkTimeView(r, speakers), startedAt: r.session_started_at?.toISOString() ?? null, program: r.program })),
      trends: feedbackTrends(own.map(asSession), baseline.map(asSession)),
      programs,
    };
  }
}
