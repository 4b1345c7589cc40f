import { call } from './support/api-client';
import { registerSession } from './support/builders';
import { buildDist, runCli } from './support/cli';
import { ServiceHarness } from './support/harness';

/**
 * POLICIES §3: every view, stream, export and deletion is written to an audit trail that cannot be
 * silently edited. The database refuses edits; an edit made anyway (a superuser disabling the
 * trigger) breaks the hash chain, and both the API and the CLI name the first broken row.
 */
describe('a tampered audit trail', () => {
  let harness: ServiceHarness;

  beforeAll(async () => {
    buildDist();
    harness = await ServiceHarness.start({ runMode: 'api' });
    // A few rows of ordinary history: sessions registered and updated, a hold placed.
    for (const id of ['audit-a', 'audit-b', 'audit-c']) await registerSession(harness, id);
    await registerSession(harness, 'audit-a', { program: 'sat-bootcamp' });
    expect((await call(harness, 'POST', '/v1/holds', { json: { scope: 'session', targetId: 'audit-b', reason: 'legal' } })).status).toBe(201);
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const rowIds = async () => (await harness.query<{ id: string }>('SELECT id::text AS id FROM audit_log ORDER BY id')).map((r) => r.id);

  it('verifies an intact chain through the API and the CLI', async () => {
    const count = (await rowIds()).length;
    expect(count).toBeGreaterThanOrEqual(5);
    const verified = await call(harness, 'GET', '/v1/audit/verify');
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ ok: true, checked: count, firstBrokenId: null });

    const cli = await runCli(harness, ['audit:verify']);
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual({ ok: true, checked: count, firstBrokenId: null });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the audit log, whoever asks', async () => {
    const [first] = await rowIds();
    await expect(harness.query(`UPDATE audit_log SET actor_id = 'someone-else' WHERE id = $1`, [first])).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(harness.query('DELETE FROM audit_log WHERE id = $1', [first])).rejects.toThrow(/append-only: DELETE refused/);
    // Refused by its trigger, or first by the seals that reference it.
    await expect(harness.query('TRUNCATE audit_log')).rejects.toThrow(/append-only: TRUNCATE refused|referenced in a foreign key constraint/);
    await expect(harness.query('TRUNCATE audit_seals')).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect((await call(harness, 'GET', '/v1/audit/verify')).body.ok).toBe(true);
  });

  it('names the row a superuser changed behind the trigger, in the API and the CLI (exit 1)', async () => {
    const ids = await rowIds();
    const target = ids[2];
    await harness.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    try {
      await harness.query(`UPDATE audit_log SET actor_id = 'someone-else' WHERE id = $1`, [target]);
    } finally {
      await harness.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    }
    // The trigger is back: a second edit is refused again.
    await expect(harness.query(`UPDATE audit_log SET actor_id = 'x' WHERE id = $1`, [target])).rejects.toThrow(/append-only/);

    const verified = await call(harness, 'GET', '/v1/audit/verify');
    expect(verified.body).toEqual({ ok: false, checked: 3, firstBrokenId: target, reason: 'an event does not match its hash' });

    const cli = await runCli(harness, ['audit:verify']);
    expect(cli.status).toBe(1);
    expect(JSON.parse(cli.stdout)).toEqual({ ok: false, checked: 3, firstBrokenId: target, reason: 'an event does not match its hash' });
  });
});
