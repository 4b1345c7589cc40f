import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Least privilege (issue 15, item 3). The service connects as a login role that is a member of
 * `recordings_app`; the role that runs migrations owns every table. `recordings_app` owns nothing,
 * so it can never ALTER a table or DISABLE its triggers, and on the audit tables (every table whose
 * name starts with `audit_`) it may only INSERT and SELECT: the trail cannot be edited, deleted or
 * truncated by the service's own credentials, whatever the append-only trigger says.
 *
 * Roles are cluster-wide while grants are per database, so the role is created only when absent
 * (many databases on one server share it, and two of them may be migrating at the same instant);
 * `down` revokes this database's grants and leaves the role to the others. Creating the role needs
 * CREATEROLE; an operator whose owner lacks it creates `recordings_app` NOLOGIN beforehand.
 *
 * Default privileges cover tables and sequences created later by the role that runs migrations:
 * they get the ordinary grant (SELECT, INSERT, UPDATE, DELETE). A later migration that creates an
 * audit table must therefore say so itself:
 *   REVOKE UPDATE, DELETE, TRUNCATE ON audit_<name> FROM recordings_app;
 * (test/app-role.e2e-spec.ts fails while any `audit_` table lets the role update or delete).
 * The grants are a snapshot written here, as migrations are history.
 */
export class AddAppRole1764900000000 implements MigrationInterface {
  name = 'AddAppRole1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'recordings_app') THEN
          BEGIN
            CREATE ROLE recordings_app NOLOGIN;
          EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- another database's migration created it a moment ago
          END;
        END IF;
      END $$`);
    await q.query(`GRANT USAGE ON SCHEMA public TO recordings_app`);
    await q.query(`
      DO $$
      DECLARE t record;
      BEGIN
        FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
          IF t.tablename LIKE 'audit\\_%' THEN
            EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON public.%I FROM recordings_app', t.tablename);
            EXECUTE format('GRANT SELECT, INSERT ON public.%I TO recordings_app', t.tablename);
          ELSE
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON public.%I TO recordings_app', t.tablename);
          END IF;
        END LOOP;
      END $$`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO recordings_app`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO recordings_app`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO recordings_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'recordings_app') THEN
          ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM recordings_app;
          ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM recordings_app;
          REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM recordings_app;
          REVOKE ALL ON ALL TABLES IN SCHEMA public FROM recordings_app;
          REVOKE USAGE ON SCHEMA public FROM recordings_app;
        END IF;
      END $$`);
  }
}
