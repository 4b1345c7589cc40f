import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Review outcomes (issue 12): one row per review of a recording. `coach` is the escalation to
 * tutor coaching (the row is the hand-off); `safety` names the hold it placed in the same
 * transaction. The note is free text: it stays on this row (never in the audit trail) and an
 * erasure redacts it like a hold note.
 */
export class AddReviewOutcomes1764620000000 implements MigrationInterface {
  name = 'AddReviewOutcomes1764620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reviews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recording_id uuid NOT NULL REFERENCES recordings(id),
        outcome text NOT NULL CHECK (outcome IN ('ok', 'coach', 'safety')),
        note text,
        reviewer_id text NOT NULL,
        hold_id uuid REFERENCES holds(id),
        at timestamptz(3) NOT NULL,
        CHECK ((outcome = 'safety') = (hold_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX reviews_recording ON reviews (recording_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS reviews`);
  }
}
