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
}
