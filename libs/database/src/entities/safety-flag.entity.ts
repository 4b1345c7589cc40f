import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A contact detail found in a chat log or transcript (POLICIES §5): where (file, line, time), what
 * kind, who to whom by role, and whether it is a breach or covered (a parent, an exception). The
 * detail itself is never stored: it is personal data, and it stays in the file it came from.
 */
@Entity('safety_flags')
export class SafetyFlagEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid', name: 'recording_id' }) recordingId: string;
  @Column({ type: 'uuid', name: 'artifact_id' }) artifactId: string;
  @Column({ type: 'text' }) source: 'chat' | 'transcript';
  @Column({ type: 'integer' }) line: number;
  @Column({ type: 'double precision', name: 'offset_seconds' }) offsetSeconds: number;
  @Column({ type: 'text' }) kind: string;
  @Column({ type: 'boolean' }) direct: boolean;
  @Column({ type: 'text', name: 'sender_person_id', nullable: true }) senderPersonId: string | null;
  @Column({ type: 'text', name: 'sender_role' }) senderRole: string;
  @Column({ type: 'text', name: 'recipient_person_id', nullable: true }) recipientPersonId: string | null;
  @Column({ type: 'text', name: 'recipient_role' }) recipientRole: string;
  @Column({ type: 'boolean' }) breach: boolean;
  @Column({ type: 'text', name: 'covered_by', nullable: true }) coveredBy: 'parent' | 'exception' | null;
  @Column({ type: 'uuid', name: 'exception_id', nullable: true }) exceptionId: string | null;
  /** The safety hold this flag placed automatically (SAFETY_AUTO_HOLD_KINDS), if any. */
  @Column({ type: 'uuid', name: 'hold_id', nullable: true }) holdId: string | null;
  @Column({ type: 'timestamptz', name: 'detected_at', precision: 3 }) detectedAt: Date;
}

/** A one-time Trust & Safety exception for a tutor and a family (POLICIES §5). */
@Entity('safety_exceptions')
export class SafetyExceptionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'text', name: 'tutor_id' }) tutorId: string;
  @Column({ type: 'text', name: 'family_person_ids', array: true }) familyPersonIds: string[];
  /** Null: every kind of detail. */
  @Column({ type: 'text', array: true, nullable: true }) kinds: string[] | null;
  /** Free text: stays on this row, never in the audit trail. */
  @Column({ type: 'text' }) reason: string;
  @Column({ type: 'text', name: 'granted_by' }) grantedBy: string;
  @Column({ type: 'timestamptz', name: 'granted_at', precision: 3 }) grantedAt: Date;
  @Column({ type: 'text', name: 'revoked_by', nullable: true }) revokedBy: string | null;
  @Column({ type: 'timestamptz', name: 'revoked_at', precision: 3, nullable: true }) revokedAt: Date | null;
}

/** That a stored transcript, chat, timeline or track has been through analysis, and how it went. */
@Entity('analysed_sources')
export class AnalysedSourceEntity {
  @PrimaryColumn('uuid', { name: 'artifact_id' }) artifactId: string;
  @Column({ type: 'uuid', name: 'recording_id' }) recordingId: string;
  @Column({ type: 'text' }) outcome: 'used' | 'not_used' | 'malformed';
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ type: 'timestamptz', name: 'analysed_at', precision: 3 }) analysedAt: Date;
}

/** A recording whose stored transcripts, chats, timelines or tracks changed since it was last analysed (set by a trigger). */
@Entity('analysis_owed')
export class AnalysisOwedEntity {
  @PrimaryColumn('uuid', { name: 'recording_id' }) recordingId: string;
  /** Bumped on every change: an analysis crosses the row off only if nothing changed while it ran. */
  @Column({ type: 'bigint', default: 1 }) generation: string;
  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' }) since: Date;
}
