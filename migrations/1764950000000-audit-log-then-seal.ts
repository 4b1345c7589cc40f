import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail, logged then sealed (issue 15 item 1). A business transaction inserts its event
 * with the hash of its own content and no lock (`prev_hash` stays NULL), and notes it in
 * `unsealed_audit_events`; one elected sealer chains committed events afterwards in `audit_seals`, in the
 * order it finds them committed (`seq`), so an event whose transaction commits late is sealed later
 * and never breaks the chain. Seals are append-only like events. Existing rows (chained the old
 * way, `prev_hash` set) are sealed here, in id order, with the same formula the sealer uses:
 * hash = sha256(prev_hash || '\n' || event_id || '\n' || event hash).
 */
export class AuditLogThenSeal1764950000000 implements MigrationInterface {
  name = 'AuditLogThenSeal1764950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_log ALTER COLUMN prev_hash DROP NOT NULL`);
    // A content hash is not unique: two events can say the same thing at the same millisecond (their
    // ids, which the seals cover, tell them apart). Chained hashes were unique; content hashes are not.
    await q.query(`ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_hash_key`);
    await q.query(`
      CREATE TABLE audit_seals (
        seq bigint PRIMARY KEY,
        event_id bigint NOT NULL UNIQUE REFERENCES audit_log(id),
        prev_hash text NOT NULL,
        hash text NOT NULL,
        sealed_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE TRIGGER audit_seals_append_only BEFORE UPDATE OR DELETE ON audit_seals FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`);
    await q.query(`CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit_seals FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`);
    // Least privilege (migration 1764900000000): the application role may add seals, never change them.
    await q.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'recordings_app') THEN
          REVOKE UPDATE, DELETE, TRUNCATE ON audit_seals FROM recordings_app;
        END IF;
      END $$`);
    await q.query(`
      CREATE TABLE unsealed_audit_events (
        event_id bigint PRIMARY KEY REFERENCES audit_log(id),
        at timestamptz(3) NOT NULL
      )`);
    await q.query(`
      DO $$
      DECLARE prev text := repeat('0', 64); h text; n bigint := 0; r record;
      BEGIN
        FOR r IN SELECT id, hash FROM audit_log ORDER BY id LOOP
          n := n + 1;
          h := encode(digest(prev || E'\\n' || r.id::text || E'\\n' || r.hash, 'sha256'), 'hex');
          INSERT INTO audit_seals (seq, event_id, prev_hash, hash, sealed_at) VALUES (n, r.id, prev, h, now());
          prev := h;
        END LOOP;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS unsealed_audit_events`);
    await q.query(`DROP TABLE IF EXISTS audit_seals`);
  }
}
