import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One row of the append-only consent ledger (the database refuses UPDATE and DELETE). Ids only. */
@Entity('consent_decisions')
export class ConsentDecisionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'text', name: 'person_id' }) personId: string;
  @Column({ type: 'text' }) purpose: 'video_recording' | 'research' | 'images' | 'viewing_terms';
  /** Research only: the study decided on (null: every study). */
  @Column({ type: 'text', name: 'study_id', nullable: true }) studyId: string | null;
  @Column({ type: 'text' }) decision: 'grant' | 'withdraw';
  /** The guardian who decided for a minor. */
  @Column({ type: 'text', name: 'decided_by', nullable: true }) decidedBy: string | null;
  @Column({ type: 'text', name: 'recorded_by' }) recordedBy: string;
  @Column({ type: 'boolean', name: 'person_is_minor', nullable: true }) personIsMinor: boolean | null;
  /** The stored evidence document (an object erasure can delete), never its content. */
  @Column({ type: 'text', name: 'evidence_key', nullable: true }) evidenceKey: string | null;
  @Column({ type: 'timestamptz', name: 'decided_at', precision: 3 }) decidedAt: Date;
}
