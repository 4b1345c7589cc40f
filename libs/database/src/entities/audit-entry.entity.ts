import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

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
  /** Set on rows chained before log-then-seal (issue 15); NULL since: the seal carries the order. */
  @Column({ type: 'text', name: 'prev_hash', nullable: true }) prevHash: string | null;
  /** Since log-then-seal: the hash of the event's own content (its receipt); before, the chained hash. */
  @Column({ type: 'text' }) hash: string;
}

/** The chain over committed events, in the order the sealer found them (`seq`); append-only. */
@Entity('audit_seals')
export class AuditSealEntity {
  @PrimaryColumn('bigint') seq: string;
  @Column({ type: 'bigint', name: 'event_id', unique: true }) eventId: string;
  @Column({ type: 'text', name: 'prev_hash' }) prevHash: string;
  @Column({ type: 'text' }) hash: string;
  @Column({ type: 'timestamptz', name: 'sealed_at', precision: 3 }) sealedAt: Date;
}

/** Events committed but not sealed yet (the sealer's work list). */
@Entity('unsealed_audit_events')
export class AuditUnsealedEntity {
  @PrimaryColumn('bigint', { name: 'event_id' }) eventId: string;
  @Column({ type: 'timestamptz', precision: 3 }) at: Date;
}
