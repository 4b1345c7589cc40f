import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One version of a profile's retention rules (`libs/retention/src/policy.ts` validates them).
 * Versions are never edited: a change is a new row.
 */
@Entity('retention_policies')
export class RetentionPolicyEntity {
  @PrimaryColumn('text') profile: string;
  @PrimaryColumn('integer') version: number;
  /** `RetentionRules`: by artifact kind, `{keep, from}`. */
  @Column({ type: 'jsonb' }) rules: unknown;
  @Column({ type: 'timestamptz', name: 'created_at', precision: 3, default: () => 'now()' }) createdAt: Date;
  @Column({ type: 'text', name: 'created_by' }) createdBy: string;
  /** When the recompute of every artifact kept under this version finished (null: still to do). */
  @Column({ type: 'timestamptz', name: 'applied_at', precision: 3, nullable: true }) appliedAt: Date | null;
}
