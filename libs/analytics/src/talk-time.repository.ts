import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';
import type { TalkTimeSource } from '@lib/text';

/** The session's aggregates as stored (no person ids, no names). */
export type StoredMetrics = Record<string, unknown>;

export interface ReportRow {
  id: string;
  recording_id: string;
  session_id: string | null;
  tutor_id: string | null;
  program: string | null;
  session_started_at: Date | null;
  source: TalkTimeSource;
  source_artifact_ids: string[];
  metrics: StoredMetrics;
  analysed_at: Date;
}

export interface SpeakerRow {
  report_id: string;
  person_id: string;
  role: 'tutor' | 'learner' | 'parent';
  seconds: number;
  turns: number;
  share: number | null;
  /** From the roster when read; null once the person is erased. */
  display_name: string | null;
}

export interface NewReport {
  recordingId: string;
  sessionId: string | null;
  tutorId: string | null;
  program: string | null;
  sessionStartedAt: Date | null;
  source: TalkTimeSource;
  sourceArtifactIds: string[];
  metrics: StoredMetrics;
  speakers: ReadonlyArray<{ personId: string; role: 'tutor' | 'learner' | 'parent'; seconds: number; turns: number; share: number | null }>;
  analysedAt: Date;
}

/** Talk-time reports and each person's figures in them. */
@Injectable()
export class TalkTimeRepository {
  constructor(private readonly sql: Sql) {}

  /** One report per recording: the new one replaces whatever was computed before. */
  async replace(report: NewReport | null, recordingId: string): Promise<void> {
    await this.sql.run('DELETE FROM talk_time_reports WHERE recording_id = $1', [recordingId]);
    if (!report) return;
    const row = await this.sql.one<{ id: string }>(
      `INSERT INTO talk_time_reports (recording_id, session_id, tutor_id, program, session_started_at, source, source_artifact_ids, metrics, analysed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [report.recordingId, report.sessionId, report.tutorId, report.program, report.sessionStartedAt, report.source, report.sourceArtifactIds, JSON.stringify(report.metrics), report.analysedAt],
    );
    if (report.speakers.length === 0) return;
    const s = report.speakers;
    await this.sql.run(
      `INSERT INTO talk_time_speakers (report_id, person_id, role, seconds, turns, share)
       SELECT $1, p, r, sec, t, sh FROM unnest($2::text[], $3::text[], $4::float8[], $5::int[], $6::float8[]) AS x(p, r, sec, t, sh)`,
      [row!.id, s.map((x) => x.personId), s.map((x) => x.role), s.map((x) => x.seconds), s.map((x) => x.turns), s.map((x) => x.share)],
    );
  }

  ofRecording(recordingId: string): Promise<ReportRow | null> {
    return this.sql.one<ReportRow>('SELECT * FROM talk_time_reports WHERE recording_id = $1', [recordingId]);
  }

  /** The tutor's latest reports, newest session first. */
  ofTutor(tutorId: string, limit: number): Promise<ReportRow[]> {
    return this.sql.rows<ReportRow>(
      `SELECT * FROM talk_time_reports WHERE tutor_id = $1 ORDER BY session_started_at DESC NULLS LAST, id LIMIT $2`,
      [tutorId, limit],
    );
  }

  /** The programs' latest reports (every tutor): the baseline a tutor's trend is read against. */
  ofPrograms(programs: readonly string[], limit: number): Promise<ReportRow[]> {
    if (programs.length === 0) return Promise.resolve([]);
    return this.sql.rows<ReportRow>(
      `SELECT * FROM talk_time_reports WHERE program = ANY($1) ORDER BY session_started_at DESC NULLS LAST, id LIMIT $2`,
      [programs, limit],
    );
  }

  speakersOf(reportIds: readonly string[]): Promise<SpeakerRow[]> {
    if (reportIds.length === 0) return Promise.resolve([]);
    return this.sql.rows<SpeakerRow>(
      `SELECT s.report_id, s.person_id, s.role, s.seconds, s.turns, s.share,
              CASE WHEN p.erased_at IS NULL THEN p.display_name END AS display_name
         FROM talk_time_speakers s LEFT JOIN people p ON p.id = s.person_id
        WHERE s.report_id = ANY($1::uuid[])
        ORDER BY s.report_id, CASE s.role WHEN 'tutor' THEN 0 WHEN 'learner' THEN 1 ELSE 2 END, s.person_id`,
      [reportIds],
    );
  }

  /** Erasure: the person's own figures, and every report about them as the tutor. Returns rows removed. */
  async removePerson(personId: string): Promise<number> {
    const speakers = await this.sql.rows('DELETE FROM talk_time_speakers WHERE person_id = $1 RETURNING report_id', [personId]);
    const reports = await this.sql.rows('DELETE FROM talk_time_reports WHERE tutor_id = $1 RETURNING id', [personId]);
    return speakers.length + reports.length;
  }
}
