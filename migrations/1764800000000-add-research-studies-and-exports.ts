import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Research studies and de-identified exports (issue 14). A study names the programmes and dates it
 * covers, its consent model, the kinds it may receive and its researchers; its pseudonym secret is
 * kept only wrapped by MEDIA_MASTER_KEY. An export moves requested → approved → building → ready →
 * expired | revoked (or rejected, failed); `research_export_people` lists who is in a built export
 * (ids only), so a withdrawal or an erasure finds every export it must revoke.
 */
export class AddResearchStudiesAndExports1764800000000 implements MigrationInterface {
  name = 'AddResearchStudiesAndExports1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE studies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        programs text[] NOT NULL,
        sessions_from timestamptz(3) NOT NULL,
        sessions_to timestamptz(3) NOT NULL,
        consent_model text NOT NULL CHECK (consent_model IN ('opt_in', 'opt_out')),
        kinds text[] NOT NULL,
        agreement_expires_at timestamptz(3) NOT NULL,
        non_consenting text NOT NULL DEFAULT 'remove' CHECK (non_consenting IN ('remove', 'drop_session')),
        rebuild_on_revocation boolean NOT NULL DEFAULT false,
        download_limit integer NOT NULL DEFAULT 5,
        pseudonym_secret_wrapped text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz(3) NOT NULL,
        CHECK (sessions_from < sessions_to)
      )`);
    await q.query(`
      CREATE TABLE study_researchers (
        study_id uuid NOT NULL REFERENCES studies(id),
        person_id text NOT NULL,
        PRIMARY KEY (study_id, person_id)
      )`);
    await q.query(`CREATE INDEX study_researchers_person ON study_researchers (person_id)`);
    await q.query(`
      CREATE TABLE research_exports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        study_id uuid NOT NULL REFERENCES studies(id),
        status text NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'building', 'ready', 'failed', 'expired', 'revoked')),
        criteria jsonb NOT NULL,
        requested_by text NOT NULL,
        requested_at timestamptz(3) NOT NULL,
        decided_by text,
        decided_at timestamptz(3),
        rebuilt_from uuid REFERENCES research_exports(id),
        storage_key text UNIQUE,
        size_bytes bigint,
        sha256 text,
        consent_snapshot_hash text,
        deid_version text,
        summary jsonb,
        built_at timestamptz(3),
        expires_at timestamptz(3),
        downloads integer NOT NULL DEFAULT 0,
        revoked_at timestamptz(3),
        revoked_reason text,
        failure_reason text,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE INDEX research_exports_study ON research_exports (study_id, requested_at DESC)`);
    await q.query(`CREATE INDEX research_exports_expiry ON research_exports (expires_at) WHERE status = 'ready'`);
    await q.query(`
      CREATE TABLE research_export_people (
        export_id uuid NOT NULL REFERENCES research_exports(id) ON DELETE CASCADE,
        person_id text NOT NULL,
        PRIMARY KEY (export_id, person_id)
      )`);
    await q.query(`CREATE INDEX research_export_people_person ON research_export_people (person_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS research_export_people`);
    await q.query(`DROP TABLE IF EXISTS research_exports`);
    await q.query(`DROP TABLE IF EXISTS study_researchers`);
    await q.query(`DROP TABLE IF EXISTS studies`);
  }
}
