import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A person's erasure: requested, then completed once everything of theirs is gone. */
@Entity('erasure_requests')
export class ErasureRequestEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'text', name: 'person_id' }) personId: string;
  @Column({ type: 'text', name: 'requested_by' }) requestedBy: string;
  @Column({ type: 'timestamptz', name: 'requested_at', precision: 3 }) requestedAt: Date;
  @Column({ type: 'timestamptz', name: 'completed_at', precision: 3, nullable: true }) completedAt: Date | null;
  /** What was deleted or rewritten, by kind (numbers only). */
  @Column({ type: 'jsonb', default: () => "'{}'" }) counts: Record<string, number>;
  /**
   * What the follow-up redacts in text that was held or arrives late: kept only until the follow-up
   * closes, then nulled (the request's only personal data).
   */
  @Column({ type: 'text', name: 'redaction_name', nullable: true }) redactionName: string | null;
  @Column({ type: 'text', name: 'redaction_email', nullable: true }) redactionEmail: string | null;
  @Column({ type: 'timestamptz', name: 'follow_up_until', precision: 3, nullable: true }) followUpUntil: Date | null;
  @Column({ type: 'timestamptz', name: 'follow_up_closed_at', precision: 3, nullable: true }) followUpClosedAt: Date | null;
}

