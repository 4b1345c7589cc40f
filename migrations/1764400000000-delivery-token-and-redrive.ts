import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox keeps no secret and no personal data longer than it needs them (issue 11 A.4), and a
 * delivery that failed is tried again (A.6):
 * - `download_token` moves out of the stored body into its own column, cleared once processed;
 * - a processed delivery keeps its ids, event, hash and times, not its body (host email, topic,
 *   file names);
 * - a recording's token is cleared once none of its files is pending;
 * - `generation` is bumped whenever the row is re-armed, so its job id is new each time;
 * - `redrives` and `next_attempt_at` drive re-tries of failed rows; `gave_up_at` marks the end.
 */
export class DeliveryTokenAndRedrive1764400000000 implements MigrationInterface {
  name = 'DeliveryTokenAndRedrive1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE webhook_deliveries
        ADD COLUMN download_token text,
        ADD COLUMN generation integer NOT NULL DEFAULT 0,
        ADD COLUMN redrives integer NOT NULL DEFAULT 0,
        ADD COLUMN next_attempt_at timestamptz(3),
        ADD COLUMN gave_up_at timestamptz(3)`);
    await q.query(`
      UPDATE webhook_deliveries
      SET download_token = CASE WHEN status IN ('received', 'failed') THEN body->>'download_token' END,
          body = body - 'download_token'
      WHERE jsonb_typeof(body) = 'object' AND body ? 'download_token'`);
    await q.query(`UPDATE webhook_deliveries SET body = NULL WHERE status = 'processed'`);
    // Failed before re-drives existed: give each one re-drive now.
    await q.query(`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE status = 'failed'`);
    await q.query(`
      UPDATE recordings r SET download_token = NULL
      WHERE download_token IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM artifacts a WHERE a.recording_id = r.id AND a.status = 'pending')`);
    await q.query(`CREATE INDEX webhook_deliveries_redrive ON webhook_deliveries (next_attempt_at) WHERE status = 'failed' AND next_attempt_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS webhook_deliveries_redrive`);
    await q.query(`
      ALTER TABLE webhook_deliveries
        DROP COLUMN download_token, DROP COLUMN generation, DROP COLUMN redrives,
        DROP COLUMN next_attempt_at, DROP COLUMN gave_up_at`);
  }
}
