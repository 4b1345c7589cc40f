import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * Periodic work that must run on one process at a time across the fleet (the retention sweep, the
 * object reconciler): a session-level advisory lock on a connection of its own, tried, not waited
 * for. The lock goes with the connection if the process dies.
 */
@Injectable()
export class SingleRunner {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `work` when no other process holds `lockKey`; answers null (without running it) otherwise. */
  async runExclusive<T>(lockKey: number, work: () => Promise<T>): Promise<T | null> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }]: Array<{ locked: boolean }> = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [lockKey]);
      if (!locked) return null;
      try {
        return await work();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [lockKey]);
      }
    } finally {
      await runner.release();
    }
  }
}
