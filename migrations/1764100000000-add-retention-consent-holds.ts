import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Version 1 of each profile as POLICIES §2 stated it when this migration was written: a snapshot,
 * not an import of the live defaults, so this migration seeds the same rows whatever the code says
 * later (STYLE habit 14). Later defaults reach a database as new versions, never by editing this.
 */
const VERSION_1_RULES = {
  tutoring: {
    video: { keep: { amount: 30, unit: 'days' }, from: 'session_start' },
    audio: { keep: { amount: 30, unit: 'days' }, from: 'session_start' },
    participant_audio: { keep: { amount: 30, unit: 'days' }, from: 'session_start' },
    stream: { keep: { amount: 30, unit: 'days' }, from: 'session_start' },
    transcript: { keep: { amount: 3, unit: 'years' }, from: 'session_start' },
    chat: { keep: { amount: 3, unit: 'years' }, from: 'session_start' },
    timeline: { keep: { amount: 3, unit: 'years' }, from: 'session_start' },
    other: { keep: { amount: 3, unit: 'years' }, from: 'session_start' },
    talk_time: { keep: { amount: 3, unit: 'years' }, from: 'session_start' },
    image: { keep: { amount: 5, unit: 'working_days' }, from: 'upload' },
    verification_video: { keep: { amount: 1, unit: 'days' }, from: 'review_decision' },
    research_export: { keep: null, from: 'study_agreement' },
  },
  classes: {
    video: { keep: { amount: 90, unit: 'days' }, from: 'session_start' },
    audio: { keep: { amount: 90, unit: 'days' }, from: 'session_start' },
    participant_audio: { keep: { amount: 90, unit: 'days' }, from: 'session_start' },
    stream: { keep: { amount: 90, unit: 'days' }, from: 'session_start' },
    transcript: { keep: { amount: 3, unit: 'years' }, from: 'session_start' },
    chat: { keep: { amount: 3, unit: 'years' }, from: 'session_start' },
    timeline: { keep: { amount: 3, unit: 'years' }, from: 'session_start' },
    other: { keep: { amount: 3, unit: 'years' }, from: 'session_start' },
    talk_time: { keep: { amount: 3, unit: 'years' }, from: 'session_start' },
    image: { keep: { amount: 5, unit: 'working_days' }, from: 'upload' },
    verification_video: { keep: { amount: 1, unit: 'days' }, from: 'review_decision' },
    research_export: { keep: null, from: 'study_agreement' },
  },
} as const;

/**
 * Retention, consent and holds: versioned retention policies, each artifact's expiry and the
 * policy version it came from, deletion requests (opt-outs, erasure) and deletion receipts, the
 * append-only consent ledger, holds, erasure requests, and uploads (images, verification videos)
 * that belong to a session rather than a recording.
 */
export class AddRetentionConsentHolds1764100000000 implements MigrationInterface {
  name = 'AddRetentionConsentHolds1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE retention_policies (
        profile text NOT NULL CHECK (profile IN ('tutoring', 'classes')),
        version integer NOT NULL CHECK (version > 0),
        rules jsonb NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        PRIMARY KEY (profile, version)
      )`);
    for (const [profile, rules] of Object.entries(VERSION_1_RULES)) {
      await q.query(`INSERT INTO retention_policies (profile, version, rules, created_by) VALUES ($1, 1, $2, 'system')`, [
        profile,
        JSON.stringify(rules),
      ]);
    }
    await q.query(`
      ALTER TABLE artifacts
        ALTER COLUMN recording_id DROP NOT NULL,
        ADD COLUMN session_id text REFERENCES sessions(id),
        ADD COLUMN retention_class text,
        ADD COLUMN policy_profile text,
        ADD COLUMN policy_version integer,
        ADD COLUMN retention_anchor_at timestamptz(3),
        ADD COLUMN delete_requested_at timestamptz(3),
        ADD COLUMN delete_reason text,
        ADD COLUMN deletion_audit_id bigint,
        ADD COLUMN deletion_audit_hash text,
        ADD COLUMN participant_label text,
        ADD COLUMN derived_from uuid REFERENCES artifacts(id),
        ADD COLUMN pictured_person_ids text[],
        ADD COLUMN review_decision text,
        ADD COLUMN reviewed_at timestamptz(3),
        ADD COLUMN reviewed_by text,
        ADD CONSTRAINT artifacts_owner CHECK (recording_id IS NOT NULL OR session_id IS NOT NULL)`);
    // The sweep reads only what is due: cost follows what expired, not the size of the table.
    await q.query(`CREATE INDEX artifacts_due ON artifacts (expires_at, id) WHERE status = 'stored'`);
    await q.query(`CREATE INDEX artifacts_delete_requested ON artifacts (delete_requested_at, id) WHERE status = 'stored' AND delete_requested_at IS NOT NULL`);
    await q.query(`CREATE INDEX artifacts_recording ON artifacts (recording_id)`);
    await q.query(`CREATE INDEX artifacts_session ON artifacts (session_id) WHERE session_id IS NOT NULL`);
    await q.query(`ALTER TABLE people ADD COLUMN erased_at timestamptz(3)`);

    await q.query(`
      CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
      END $$`);
    await q.query(`
      CREATE TABLE consent_decisions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id text NOT NULL,
        purpose text NOT NULL CHECK (purpose IN ('video_recording', 'research', 'images')),
        study_id text,
        decision text NOT NULL CHECK (decision IN ('grant', 'withdraw')),
        decided_by text,
        recorded_by text NOT NULL,
        person_is_minor boolean,
        evidence_key text,
        decided_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE INDEX consent_decisions_current ON consent_decisions (person_id, purpose, decided_at DESC)`);
    await q.query(`
      CREATE TRIGGER consent_decisions_append_only BEFORE UPDATE OR DELETE ON consent_decisions
      FOR EACH ROW EXECUTE FUNCTION refuse_change()`);

    await q.query(`
      CREATE TABLE holds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        scope text NOT NULL CHECK (scope IN ('recording', 'session', 'person')),
        target_id text NOT NULL,
        reason text NOT NULL,
        note text,
        placed_by text NOT NULL,
        placed_at timestamptz(3) NOT NULL,
        released_by text,
        released_at timestamptz(3)
      )`);
    await q.query(`CREATE INDEX holds_active ON holds (scope, target_id) WHERE released_at IS NULL`);

    await q.query(`
      CREATE TABLE erasure_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id text NOT NULL,
        requested_by text NOT NULL,
        requested_at timestamptz(3) NOT NULL,
        completed_at timestamptz(3),
        counts jsonb NOT NULL DEFAULT '{}'
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS erasure_requests`);
    await q.query(`DROP TABLE IF EXISTS holds`);
    await q.query(`DROP TABLE IF EXISTS consent_decisions`);
    await q.query(`DROP FUNCTION IF EXISTS refuse_change()`);
    await q.query(`ALTER TABLE people DROP COLUMN IF EXISTS erased_at`);
    await q.query(`DROP INDEX IF EXISTS artifacts_due`);
    await q.query(`DROP INDEX IF EXISTS artifacts_delete_requested`);
    await q.query(`DROP INDEX IF EXISTS artifacts_recording`);
    await q.query(`DROP INDEX IF EXISTS artifacts_session`);
    await q.query(`
      ALTER TABLE artifacts DROP CONSTRAINT IF EXISTS artifacts_owner,
        DROP COLUMN session_id, DROP COLUMN retention_class, DROP COLUMN policy_profile, DROP COLUMN policy_version,
        DROP COLUMN retention_anchor_at, DROP COLUMN delete_requested_at, DROP COLUMN delete_reason,
        DROP COLUMN deletion_audit_id, DROP COLUMN deletion_audit_hash, DROP COLUMN participant_label,
        DROP COLUMN derived_from, DROP COLUMN pictured_person_ids, DROP COLUMN review_decision,
        DROP COLUMN reviewed_at, DROP COLUMN reviewed_by`);
    await q.query(`DROP TABLE IF EXISTS retention_policies`);
  }
}
