import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the retention sweep did (for GET /v1/retention/status: last sweep, next sweep), when it
 * queued each artifact's deletion, and when a policy version finished re-computing the expiry of
 * what it governs. Version 1 of each profile is
 * left unapplied, so the first sweep tick gives artifacts stored before retention existed their
 * expiry (a backfill that needs no downtime).
 */
export class AddRetentionSweeps1764250000000 implements MigrationInterface {
  name = 'AddRetentionSweeps1764250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE retention_sweeps (
        id bigserial PRIMARY KEY,
        started_at timestamptz(3) NOT NULL,
        finished_at timestamptz(3) NOT NULL,
        as_of timestamptz(3) NOT NULL,
        mode text NOT NULL CHECK (mode IN ('queue', 'inline')),
        found integer NOT NULL,
        queued integer NOT NULL,
        deleted integer NOT NULL,
        failed integer NOT NULL
      )`);
    await q.query(`CREATE INDEX retention_sweeps_recent ON retention_sweeps (started_at DESC)`);
    await q.query(`ALTER TABLE retention_policies ADD COLUMN applied_at timestamptz(3)`);
    // When the sweep last handed the artifact to a delete job: later sweeps leave it to that job for
    // a while instead of queueing it again in a differently composed batch.
    await q.query(`ALTER TABLE artifacts ADD COLUMN delete_queued_at timestamptz(3)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE artifacts DROP COLUMN IF EXISTS delete_queued_at`);
    await q.query(`ALTER TABLE retention_policies DROP COLUMN IF EXISTS applied_at`);
    await q.query(`DROP TABLE IF EXISTS retention_sweeps`);
  }
}
