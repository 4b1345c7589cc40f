import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { AuditModule, AuditTrail } from '@lib/audit';
import { ClockModule, FixedClock } from '@lib/clock';
import { ConfigModule, loadConfig } from '@lib/config';
import { DatabaseModule, Transactions } from '@lib/database';
import { TestDatabase } from './support/database';
import { waitFor } from './support/wait';

/**
 * The audit trail's SQL (libs/audit/src/audit.repository.ts) on the real PostgreSQL: appends join
 * the ambient transaction, batches keep their order, the chain verifies, and the chain's advisory
 * lock is held until the appending transaction ends.
 */
describe('the audit trail on PostgreSQL', () => {
  const clock = new FixedClock(new Date('2026-11-05T09:30:00.123Z'));
  let db: TestDatabase;
  let app: INestApplicationContext;
  let pg: Client;
  let trail: AuditTrail;
  let tx: Transactions;

  beforeAll(async () => {
    db = await TestDatabase.create();
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: db.url });
    @Module({ imports: [ConfigModule.withConfig(config), DatabaseModule, ClockModule.use(clock), AuditModule] })
    class AuditOnly {}
    app = await NestFactory.createApplicationContext(AuditOnly, { logger: false });
    pg = await db.client();
    trail = app.get(AuditTrail);
    tx = app.get(Transactions);
  });
  afterAll(async () => {
    await pg?.end();
    await app?.close();
    await db?.drop();
  });

  const fact = (subjectId: string) => ({ actorId: 'person-admin', action: 'test.done', subjectType: 'artifact', subjectId, details: { n: 1 } });

  it('appends a batch in order, lists it newest first with ids only, and verifies the chain', async () => {
    const receipts = await trail.appendMany([fact('s1'), fact('s2'), fact('s3')]);
    expect(receipts.map((r) => Number(r.id))).toEqual([1, 2, 3]);
    const listed = await trail.list({ limit: 2 });
    expect(listed).toEqual([
      { id: '3', at: '2026-11-05T09:30:00.123Z', actorId: 'person-admin', action: 'test.done', subjectType: 'artifact', subjectId: 's3' },
      { id: '2', at: '2026-11-05T09:30:00.123Z', actorId: 'person-admin', action: 'test.done', subjectType: 'artifact', subjectId: 's2' },
    ]);
    expect(await trail.list({ subjectId: 's1' })).toHaveLength(1);
    expect(await trail.verify()).toEqual({ ok: true, checked: 3, firstBrokenId: null });
  });

  it('joins the ambient transaction: a rolled-back change leaves no audit row', async () => {
    await expect(
      tx.run(async () => {
        await trail.append(fact('rolled-back'));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await pg.query("SELECT 1 FROM audit_log WHERE subject_id = 'rolled-back'")).rowCount).toBe(0);
    expect(await trail.verify()).toMatchObject({ ok: true });
  });

  it('holds the chain lock until the appending transaction commits: another append waits for it', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = tx.run(async () => {
      await trail.append(fact('first'));
      await held;
    });
    const advisory = async (granted: boolean) =>
      (await pg.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted = $1", [granted])).rowCount! > 0;
    // The first transaction holds the chain's lock before the second asks for it.
    await waitFor(() => advisory(true), 'the first append to hold the chain lock', 10_000, 10);
    let secondDone = false;
    const second = trail.append(fact('second')).then(() => (secondDone = true));
    await waitFor(() => advisory(false), 'the second append to wait for the chain lock', 10_000, 10);
    expect(secondDone).toBe(false);
    release();
    await Promise.all([first, second]);
    const order = await pg.query<{ subject_id: string }>("SELECT subject_id FROM audit_log WHERE subject_id IN ('first', 'second') ORDER BY id");
    expect(order.rows.map((r) => r.subject_id)).toEqual(['first', 'second']);
    expect(await trail.verify()).toMatchObject({ ok: true });
  });
});
