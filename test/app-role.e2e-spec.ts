import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@lib/database';
import { MIGRATIONS } from '../migrations';
import { TestDatabase } from './support/database';

/**
 * Issue 15, least privilege: the service connects as a login role that is a member of
 * `recordings_app`, which may add to and read the audit trail but not change it — refused by
 * PostgreSQL's privileges ("permission denied"), before the append-only trigger is ever asked.
 */
const APP_ROLE = 'recordings_app';
const PERMISSION_DENIED = /permission denied for table audit_log/;
const NOT_OWNER = /must be owner of (table|relation) audit_log/;

describe('the application role', () => {
  const login = `rec_app_test_${randomBytes(5).toString('hex')}`;
  let db: TestDatabase;
  let owner: Client;
  let app: Client;

  beforeAll(async () => {
    db = await TestDatabase.create();
    owner = await db.client();
    // Trust auth on 127.0.0.1: the throwaway login needs no password. INHERIT (the default) gives it the role's grants without SET ROLE.
    await owner.query(`CREATE ROLE ${login} LOGIN IN ROLE ${APP_ROLE}`);
    const url = new URL(db.url);
    url.username = login;
    url.password = '';
    app = new Client({ connectionString: url.toString() });
    await app.connect();
  });

  afterAll(async () => {
    await app?.end();
    await owner?.query(`DROP OWNED BY ${login}`).catch(() => undefined);
    await owner?.end();
    await db?.drop();
    // Only after its database is gone: the role may then hold nothing anywhere, and dropping it cannot fail.
    const admin = new Client({ connectionString: db.url.replace(/\/[^/]*$/, '/postgres') });
    await admin.connect();
    try {
      await admin.query(`DROP ROLE IF EXISTS ${login}`);
    } finally {
      await admin.end();
    }
  });

  async function auditRow(): Promise<string> {
    const { rows } = await app.query(
      `INSERT INTO audit_log (at, actor_id, action, subject_type, subject_id, prev_hash, hash)
       VALUES (now(), 'system', 'app_role.test', 'recording', $1, 'prev', $2) RETURNING id::text`,
      [randomBytes(4).toString('hex'), randomBytes(16).toString('hex')],
    );
    return rows[0].id;
  }

  it('is not the owner and not a superuser: it connects as the throwaway login', async () => {
    const { rows } = await app.query(`SELECT current_user AS who, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser`);
    expect(rows[0]).toEqual({ who: login, superuser: false });
  });

  it('inserts audit rows and reads them back', async () => {
    const id = await auditRow();
    const { rows } = await app.query(`SELECT action FROM audit_log WHERE id = $1`, [id]);
    expect(rows).toEqual([{ action: 'app_role.test' }]);
  });

  it('cannot update an audit row', async () => {
    const id = await auditRow();
    await expect(app.query(`UPDATE audit_log SET action = 'rewritten' WHERE id = $1`, [id])).rejects.toThrow(PERMISSION_DENIED);
    expect((await owner.query(`SELECT action FROM audit_log WHERE id = $1`, [id])).rows).toEqual([{ action: 'app_role.test' }]);
  });

  it('cannot delete or truncate audit rows', async () => {
    const id = await auditRow();
    await expect(app.query(`DELETE FROM audit_log WHERE id = $1`, [id])).rejects.toThrow(PERMISSION_DENIED);
    await expect(app.query(`TRUNCATE audit_log`)).rejects.toThrow(PERMISSION_DENIED);
    expect((await owner.query(`SELECT count(*)::int AS n FROM audit_log WHERE id = $1`, [id])).rows[0].n).toBe(1);
  });

  it('cannot disable the audit triggers or alter the table: it owns nothing', async () => {
    await expect(app.query(`ALTER TABLE audit_log DISABLE TRIGGER ALL`)).rejects.toThrow(NOT_OWNER);
    await expect(app.query(`DROP TRIGGER audit_log_append_only ON audit_log`)).rejects.toThrow(NOT_OWNER);
    const owned = await owner.query(`SELECT count(*)::int AS n FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = $1)`, [APP_ROLE]);
    expect(owned.rows[0].n).toBe(0);
  });

  it('inserts, updates and deletes ordinary rows (recordings)', async () => {
    const uuid = `app-role-${randomBytes(4).toString('hex')}`;
    const inserted = await app.query(
      `INSERT INTO recordings (zoom_meeting_uuid, zoom_meeting_id, policy_profile, started_at, status, storage_prefix)
       VALUES ($1, '1', 'tutoring', now(), 'archiving', $1) RETURNING id`,
      [uuid],
    );
    const updated = await app.query(`UPDATE recordings SET status = 'archived' WHERE id = $1`, [inserted.rows[0].id]);
    expect(updated.rowCount).toBe(1);
    const deleted = await app.query(`DELETE FROM recordings WHERE id = $1`, [inserted.rows[0].id]);
    expect(deleted.rowCount).toBe(1);
  });

  it('may only insert and read every audit_ table, and write every other table', async () => {
    // A table added by a later migration gets the ordinary default; one named audit_* must revoke it itself.
    const { rows } = await owner.query(
      `SELECT tablename AS t,
              has_table_privilege($1, format('public.%I', tablename), 'SELECT') AS s,
              has_table_privilege($1, format('public.%I', tablename), 'INSERT') AS i,
              has_table_privilege($1, format('public.%I', tablename), 'UPDATE') AS u,
              has_table_privilege($1, format('public.%I', tablename), 'DELETE') AS d,
              has_table_privilege($1, format('public.%I', tablename), 'TRUNCATE') AS tr
         FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
      [APP_ROLE],
    );
    const wrong = rows
      .filter((r) => (r.t.startsWith('audit_') ? !r.s || !r.i || r.u || r.d || r.tr : !r.s || !r.i || !r.u || !r.d || r.tr))
      .map((r) => r.t);
    expect(rows.map((r) => r.t)).toContain('audit_log');
    expect(wrong).toEqual([]);
  });

  it('gives a table the owner creates later the ordinary grant by default', async () => {
    await owner.query(`CREATE TABLE later_table (id int)`);
    try {
      await app.query(`INSERT INTO later_table VALUES (1)`);
      expect((await app.query(`UPDATE later_table SET id = 2`)).rowCount).toBe(1);
    } finally {
      await owner.query(`DROP TABLE later_table`);
    }
  });

  it('keeps the role when the migration is reverted, and grants again when it is re-applied', async () => {
    const [migration] = MIGRATIONS.filter((m) => m.name === 'AddAppRole1764900000000');
    const source = new DataSource(dataSourceOptions(db.url));
    await source.initialize();
    const runner = source.createQueryRunner();
    const canRead = async () => (await owner.query(`SELECT has_table_privilege($1, 'public.recordings', 'SELECT') AS ok`, [APP_ROLE])).rows[0].ok;
    try {
      await new migration().down(runner);
      expect(await canRead()).toBe(false);
      expect((await owner.query(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname = $1`, [APP_ROLE])).rows[0].n).toBe(1);
      // Up again with the role already there (as on a server where another database created it).
      await new migration().up(runner);
      expect(await canRead()).toBe(true);
      await expect(app.query(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow(PERMISSION_DENIED);
    } finally {
      await runner.release();
      await source.destroy();
    }
  });
});
