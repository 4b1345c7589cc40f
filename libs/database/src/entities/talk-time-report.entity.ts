import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export type TalkTimeSourceKind = 'participant_audio' | 'transcript' | 'timeline';

/**
 * A recording's talk-time report (issue 13): numbers and ids only, computed from the artifacts it
 * names and removed with them (a trigger on `artifacts`, migration 1764700000000).
 */
@Entity('talk_time_reports')
@Index('talk_time_reports_tutor', ['tutorId', 'sessionStartedAt'])
@Index('talk_time_reports_program', ['program', 'sessionStartedAt'])
export class TalkTimeReportEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid', name: 'recording_id', unique: true }) recordingId: string;
  @Column({ type: 'text', name: 'session_id', nullable: true }) sessionId: string | null;
  @Column({ type: 'text', name: 'tutor_id', nullable: true }) tutorId: string | null;
  @Column({ type: 'text', nullable: true }) program: string | null;
  @Column({ type: 'timestamptz', name: 'session_started_at', precision: 3, nullable: true }) sessionStartedAt: Date | null;
  @Column({ type: 'text' }) source: TalkTimeSourceKind;
  @Column({ type: 'uuid', name: 'source_artifact_ids', array: true }) sourceArtifactIds: string[];
  /** The session's aggregates (no person ids, no names); per-person figures are `talk_time_speakers`. */
  @Column({ type: 'jsonb' }) metrics: Record<string, unknown>;
  @Column({ type: 'timestamptz', name: 'analysed_at', precision: 3 }) analysedAt: Date;
}

/** One person's figures in a report: removed alone by that person's erasure. */
@Entity('talk_time_speakers')
export class TalkTimeSpeakerEntity {
  @PrimaryColumn('uuid', { name: 'report_id' }) reportId: string;
  @PrimaryColumn('text', { name: 'person_id' }) personId: string;
  @Column({ type: 'text' }) role: 'tutor' | 'learner' | 'parent';
  @Column({ type: 'double precision' }) seconds: number;
  @Column({ type: 'integer' }) turns: number;
  @Column({ type: 'double precision', nullable: true }) share: number | null;
}
