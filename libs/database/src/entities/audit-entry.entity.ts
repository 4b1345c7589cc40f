import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One row of the append-only, hash-chained audit trail. Ids only: never names or free text about
 * a person, so erasure never has to edit the trail. The database refuses UPDATE and DELETE.
 */
@Entity('audit_log')
export class AuditEntryEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column({ type: 'timestamptz', precision: 3 }) at: Date;
  @Column({ type: 'text', name: 'actor_id' }) actorId: string;
  @Column({ type: 'text' }) action: string;
  @Column({ type: 'text', name: 'subject_type' }) subjectType: string;
  @Column({ type: 'text', name: 'subject_id' }) subjectId: string;
  @Column({ type: 'jsonb', default: () => "'{}'" }) details: Record<string, string | number | boolean | null>;
  @Column({ type: 'text', name: 'prev_hash' }) prevHash: string;
  @Column({ type: 'text' }) hash: string;
}
