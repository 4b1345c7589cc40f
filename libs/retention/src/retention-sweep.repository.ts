import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';

/** A real sweep as recorded (dry runs are not). */
export interface SweepRecord {
  startedAt: Date;
  finishedAt: Date;
  asOf: Date;
  mode: 'queue' | 'inline';
  found: number;
  queued: number;
  deleted: number;
  failed: number;
}

export interface LastSweepRow {
  started_at: Date;
  found: number;
  queued: number;
  deleted: number;
  failed: number;
}

/** The history of sweeps (`retention_sweeps`), kept for the status page. */
@Injectable()
export class RetentionSweepRepository {
  constructor(private readonly sql: Sql) {}

  async record(sweep: SweepRecord): Promise<void> {
    await this.sql.run(
      `INSERT INTO retention_sweeps (started_at, finished_at, as_of, mode, found, queued, deleted, failed)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [sweep.startedAt, sweep.finishedAt, sweep.asOf, sweep.mode, sweep.found, sweep.queued, sweep.deleted, sweep.failed],
    );
  }

  /** Forgets sweeps that started more than `days` before `now`. */
  async pruneOlderThan(now: Date, days: number): Promise<void> {
    await this.sql.run(`DELETE FROM retention_sweeps WHERE started_at < $1::timestamptz - make_interval(days => $2)`, [now, days]);
  }

  async last(): Promise<LastSweepRow | null> {
    return this.sql.one<LastSweepRow>('SELECT started_at, found, queued, deleted, failed FROM retention_sweeps ORDER BY started_at DESC, id DESC LIMIT 1');
  }
}
