import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What one retention sweep did (GET /v1/retention/status: the last sweep, the next one). */
@Entity('retention_sweeps')
export class RetentionSweepEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column({ type: 'timestamptz', name: 'started_at', precision: 3 }) startedAt: Date;
  @Column({ type: 'timestamptz', name: 'finished_at', precision: 3 }) finishedAt: Date;
  /** The moment "expired" was judged against. */
  @Column({ type: 'timestamptz', name: 'as_of', precision: 3 }) asOf: Date;
  @Column({ type: 'text' }) mode: 'queue' | 'inline';
  @Column({ type: 'integer' }) found: number;
  @Column({ type: 'integer' }) queued: number;
  @Column({ type: 'integer' }) deleted: number;
  @Column({ type: 'integer' }) failed: number;
}
