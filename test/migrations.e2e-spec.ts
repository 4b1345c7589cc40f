import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions, ensureDatabase, migrate } from '@lib/database';
import { MIGRATIONS } from '../migrations';
import { PG_ADMIN, TestDatabase } from './support/database';

/** Migrations that change data, run against a database as the release before them left it. */
describe('data migrations', () => {
  it('asks for the expiry recompute when verification videos stored before the unreviewed fallback have no expiry', async () => {
    const url = PG_ADMIN.replace(/\/[^/]*$/, `/rec_test_${randomBytes(5).toString('hex')}`);
    const before = MIGRATIONS.filter((m) => m.name !== 'RecomputeUnreviewedVerificationExpiry1764500000000');
    expect(before).toHaveLength(MIGRATIONS.length - 1);
    await ensureDatabase(url);
    const earlier = new DataSource({ ...dataSourceOptions(url), migrations: before });
    await earlier.initialize();
    try {
      await earlier.runMigrations({ transaction: 'each' });
      await earlier.query(`UPDATE retention_policies SET applied_at = now()`);
      await earlier.query(`INSERT INTO people (id, display_name) VALUES ('tutor-1', 'T'), ('learner-1', 'L')`);
      await earlier.query(`INSERT INTO sessions (id, zoom_meeting_id, starts_at, policy_profile, tutor_id) VALUES ('s-1', '1', now(), 'tutoring', 'tutor-1')`);
      await earlier.query(
        `INSERT INTO artifacts (session_id, kind, storage_key, content_type, status, stored_at, person_id)
         VALUES ('s-1', 'verification_video', 'u/old/v.mp4', 'video/mp4', 'stored', now(), 'learner-1')`,
      );
    } finally {
      await earlier.destroy();
    }
    expect(await migrate(url)).toEqual(['RecomputeUnreviewedVerificationExpiry1764500000000']);
    const db = await TestDatabase.existing(url).client();
    try {
      const { rows } = await db.query(
        `SELECT DISTINCT ON (profile) profile, applied_at FROM retention_policies ORDER BY profile, version DESC`,
      );
      expect(rows).toEqual([
        { profile: 'classes', applied_at: null },
        { profile: 'tutoring', applied_at: null },
      ]);
    } finally {
      await db.end();
      await TestDatabase.existing(url).drop();
    }
  });

  it('leaves applied policies alone when no verification video lacks an expiry', async () => {
    const db = await TestDatabase.create();
    const client = await db.client();
    try {
      const { rows } = await client.query(`SELECT count(*)::int AS unapplied FROM retention_policies WHERE applied_at IS NULL`);
      // A fresh database: nothing was applied yet, and the migration found nothing to change.
      const total = (await client.query(`SELECT count(*)::int AS n FROM retention_policies`)).rows[0].n;
      expect(rows[0].unapplied).toBe(total);
      await client.query(`UPDATE retention_policies SET applied_at = now()`);
      const [m] = MIGRATIONS.filter((x) => x.name === 'RecomputeUnreviewedVerificationExpiry1764500000000');
      const source = new DataSource(dataSourceOptions(db.url));
      await source.initialize();
      try {
        await new m().up(source.createQueryRunner());
      } finally {
        await source.destroy();
      }
      expect((await client.query(`SELECT count(*)::int AS n FROM retention_policies WHERE applied_at IS NULL`)).rows[0].n).toBe(0);
    } finally {
      await client.end();
      await db.drop();
    }
  });
});
