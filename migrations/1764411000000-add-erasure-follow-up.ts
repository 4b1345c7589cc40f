import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasure follow-up (issue 11 A.3): an erasure keeps what it must look for (the person's display
 * name and email, nowhere else once `people` forgot them) until its follow-up is closed, so that
 * text arriving late, and text a hold kept as it was, is still redacted; `erasure_redactions`
 * records each text artifact the request has dealt with, so the follow-up reads only new ones.
 */
export class AddErasureFollowUp1764411000000 implements MigrationInterface {
  name = 'AddErasureFollowUp1764411000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE erasure_requests
        ADD COLUMN redaction_name text,
        ADD COLUMN redaction_email text,
        ADD COLUMN follow_up_until timestamptz(3),
        ADD COLUMN follow_up_closed_at timestamptz(3)`);
    await q.query(`CREATE INDEX erasure_requests_open ON erasure_requests (requested_at) WHERE follow_up_closed_at IS NULL`);
    await q.query(`
      CREATE TABLE erasure_redactions (
        erasure_request_id uuid NOT NULL REFERENCES erasure_requests(id),
        artifact_id uuid NOT NULL REFERENCES artifacts(id),
        replacements integer NOT NULL,
        at timestamptz(3) NOT NULL,
        PRIMARY KEY (erasure_request_id, artifact_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS erasure_redactions`);
    await q.query(`DROP INDEX IF EXISTS erasure_requests_open`);
    await q.query(`
      ALTER TABLE erasure_requests DROP COLUMN redaction_name, DROP COLUMN redaction_email,
        DROP COLUMN follow_up_until, DROP COLUMN follow_up_closed_at`);
  }
}
