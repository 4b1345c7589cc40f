import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12, who may watch: `review_assignments` names the recordings a volunteer reviewer may
 * watch (one row per recording and reviewer, with the team); the consent ledger accepts the
 * `viewing_terms` purpose (a family accepting never to share a class recording).
 */
export class AddReviewAssignments1764610000000 implements MigrationInterface {
  name = 'AddReviewAssignments1764610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE review_assignments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recording_id uuid NOT NULL REFERENCES recordings(id),
        reviewer_id text NOT NULL,
        team text NOT NULL,
        assigned_by text NOT NULL,
        assigned_at timestamptz(3) NOT NULL,
        UNIQUE (recording_id, reviewer_id)
      )`);
    await q.query(`CREATE INDEX review_assignments_reviewer ON review_assignments (reviewer_id, assigned_at)`);
    await q.query(`ALTER TABLE consent_decisions DROP CONSTRAINT consent_decisions_purpose_check`);
    await q.query(`
      ALTER TABLE consent_decisions ADD CONSTRAINT consent_decisions_purpose_check
        CHECK (purpose IN ('video_recording', 'research', 'images', 'viewing_terms'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS review_assignments`);
    await q.query(`DELETE FROM consent_decisions WHERE purpose = 'viewing_terms'`);
    await q.query(`ALTER TABLE consent_decisions DROP CONSTRAINT consent_decisions_purpose_check`);
    await q.query(`ALTER TABLE consent_decisions ADD CONSTRAINT consent_decisions_purpose_check CHECK (purpose IN ('video_recording', 'research', 'images'))`);
  }
}
