import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ingest foundation: people, tutoring sessions and their participants, recordings and their
 * artifacts, the webhook inbox, and the append-only audit trail.
 */
export class CreateIngestSchema1764000000000 implements MigrationInterface {
  name = 'CreateIngestSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`
      CREATE TABLE people (
        id text PRIMARY KEY,
        display_name text NOT NULL,
        email text,
        minor boolean,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE sessions (
        id text PRIMARY KEY,
        zoom_meeting_id text NOT NULL,
        starts_at timestamptz(3) NOT NULL,
        program text,
        policy_profile text NOT NULL CHECK (policy_profile IN ('tutoring', 'classes')),
        tutor_id text NOT NULL REFERENCES people(id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX sessions_meeting_start ON sessions (zoom_meeting_id, starts_at)`);
    await q.query(`
      CREATE TABLE session_participants (
        session_id text NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        person_id text NOT NULL REFERENCES people(id),
        role text NOT NULL CHECK (role IN ('tutor', 'learner', 'parent')),
        children text[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (session_id, person_id, role)
      )`);
    await q.query(`CREATE INDEX session_participants_person ON session_participants (person_id)`);
    await q.query(`
      CREATE TABLE recordings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        zoom_meeting_uuid text NOT NULL,
        zoom_meeting_id text NOT NULL,
        zoom_account_id text,
        zoom_host_id text,
        session_id text REFERENCES sessions(id),
        policy_profile text NOT NULL,
        started_at timestamptz(3) NOT NULL,
        duration_minutes integer,
        status text NOT NULL CHECK (status IN ('archiving', 'archived', 'incomplete')),
        storage_prefix text NOT NULL UNIQUE,
        download_token text,
        zoom_cloud_state text NOT NULL DEFAULT 'present'
          CHECK (zoom_cloud_state IN ('present', 'trashed', 'deleted', 'recovered')),
        zoom_cloud_changed_at timestamptz(3),
        cloud_copy_action text,
        cloud_copy_requested_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX recordings_zoom_uuid ON recordings (zoom_meeting_uuid)`);
    await q.query(`CREATE INDEX recordings_unmatched ON recordings (created_at) WHERE session_id IS NULL`);
    await q.query(`CREATE INDEX recordings_meeting_id ON recordings (zoom_meeting_id, started_at)`);
    await q.query(`
      CREATE TABLE artifacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recording_id uuid NOT NULL REFERENCES recordings(id),
        kind text NOT NULL,
        zoom_file_key text,
        zoom_file_type text,
        zoom_recording_type text,
        zoom_file_status text,
        file_extension text,
        source_url text,
        recording_start timestamptz(3),
        recording_end timestamptz(3),
        person_id text,
        storage_key text NOT NULL UNIQUE,
        content_type text,
        expected_size bigint,
        size_bytes bigint,
        sha256 text,
        duration_seconds double precision,
        media_info jsonb,
        status text NOT NULL CHECK (status IN ('pending', 'stored', 'failed', 'discarded', 'deleted')),
        reason text,
        attempts integer NOT NULL DEFAULT 0,
        expires_at timestamptz(3),
        stored_at timestamptz(3),
        failed_at timestamptz(3),
        deleted_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX artifacts_recording_file ON artifacts (recording_id, zoom_file_key)`);
    await q.query(`CREATE INDEX artifacts_person ON artifacts (person_id) WHERE person_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dedupe_key text NOT NULL UNIQUE,
        event text NOT NULL,
        zoom_meeting_uuid text,
        body jsonb,
        status text NOT NULL CHECK (status IN ('received', 'processed', 'ignored', 'failed')),
        delivery_count integer NOT NULL DEFAULT 1,
        received_at timestamptz(3) NOT NULL,
        last_received_at timestamptz(3) NOT NULL,
        processed_at timestamptz(3),
        error text
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_unprocessed ON webhook_deliveries (last_received_at) WHERE status = 'received'`);
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz(3) NOT NULL,
        actor_id text NOT NULL,
        action text NOT NULL,
        subject_type text NOT NULL,
        subject_id text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}',
        prev_hash text NOT NULL,
        hash text NOT NULL UNIQUE
      )`);
    await q.query(`CREATE INDEX audit_log_subject ON audit_log (subject_id, id DESC)`);
    // The trail is append-only: the database itself refuses edits, whoever asks.
    await q.query(`
      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['audit_log', 'webhook_deliveries', 'artifacts', 'recordings', 'session_participants', 'sessions', 'people']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS audit_log_refuse_change()`);
  }
}
