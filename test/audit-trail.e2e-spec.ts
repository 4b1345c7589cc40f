import { PutObjectCommand } from '@aws-sdk/client-s3';
import { AuditSealer, AuditTrail } from '@lib/audit';
import { Transactions } from '@lib/database';
import { s3Of } from './support/bucket';
import { ServiceHarness } from './support/harness';

/**
 * The audit trail, logged then sealed (issue 15 items 1–2), on the real PostgreSQL and S3: appends
 * join the caller's transaction and take no lock; the one sealer chains committed events in the
 * order it finds them (a late commit is sealed later, the chain holds); anchors in the bucket catch
 * a tampered event, a recomputed chain and a cut-off tail, each named.
 */
describe('the audit trail, logged then sealed', () => {
  const fact = (subjectId: string) => ({ actorId: 'person-admin', action: 'test.done', subjectType: 'artifact', subjectId, details: { n: 1 } });

  async function start(): Promise<{ harness: ServiceHarness; trail: AuditTrail; sealer: AuditSealer; tx: Transactions }> {
    // The suite seals by hand: the periodic sealer is slowed right down; every seal anchors.
    const harness = await ServiceHarness.start({ env: { AUDIT_SEAL_INTERVAL_MS: '600000', AUDIT_ANCHOR_INTERVAL_MS: '0' } });
    return { harness, trail: harness.app!.get(AuditTrail), sealer: harness.app!.get(AuditSealer), tx: harness.app!.get(Transactions) };
  }
  const idOf = async (harness: ServiceHarness, subjectId: string) =>
    (await harness.query<{ id: string }>('SELECT id::text AS id FROM audit_log WHERE subject_id = $1', [subjectId]))[0].id;
  const seqOf = async (harness: ServiceHarness, eventId: string) =>
    Number((await harness.query<{ seq: string }>('SELECT seq::text AS seq FROM audit_seals WHERE event_id = $1', [eventId]))[0]?.seq ?? NaN);
  /** What someone with the owner's rights could do behind the triggers. */
  const behindTriggers = async (harness: ServiceHarness, sql: string, params: unknown[] = []) => {
    await harness.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
    await harness.query('ALTER TABLE audit_seals DISABLE TRIGGER USER');
    try {
      await harness.query(sql, params);
    } finally {
      await harness.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
      await harness.query('ALTER TABLE audit_seals ENABLE TRIGGER USER');
    }
  };

  describe('appending and sealing', () => {
    let h: Awaited<ReturnType<typeof start>>;
    beforeAll(async () => (h = await start()));
    afterAll(() => h?.harness.stop());

    it('appends a batch in order with receipts at once, lists it newest first with ids only, and verifies it', async () => {
      const receipts = await h.trail.appendMany([fact('s1'), fact('s2'), fact('s3')]);
      expect(receipts.map((r) => Number(r.id))).toEqual([...receipts.map((r) => Number(r.id))].sort((a, b) => a - b));
      expect(receipts.every((r) => /^[0-9a-f]{64}$/.test(r.hash))).toBe(true);
      const listed = await h.trail.list({ subjectId: 's3' });
      expect(listed).toEqual([{ id: receipts[2].id, at: expect.any(String), actorId: 'person-admin', action: 'test.done', subjectType: 'artifact', subjectId: 's3' }]);
      expect(await h.trail.verify()).toMatchObject({ ok: true, firstBrokenId: null });
      expect(await h.sealer.seal()).toBeGreaterThanOrEqual(3);
      expect(await h.trail.verify()).toMatchObject({ ok: true, firstBrokenId: null });
    });

    it('joins the ambient transaction: a rolled-back change leaves no audit event', async () => {
      await expect(
        h.tx.run(async () => {
          await h.trail.append(fact('rolled-back'));
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      expect(await h.harness.query("SELECT 1 FROM audit_log WHERE subject_id = 'rolled-back'")).toEqual([]);
    });

    it('takes no global lock: an append does not wait for another transaction that has appended and is still open', async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const first = h.tx.run(async () => {
        await h.trail.append(fact('open-first'));
        await held;
      });
      await new Promise((r) => setTimeout(r, 100));
      const second = await Promise.race([h.trail.append(fact('not-waiting')).then(() => 'done'), new Promise((r) => setTimeout(() => r('waited'), 3000))]);
      expect(second).toBe('done');
      release();
      await first;
    });

    it('seals an event whose transaction commits late after the ones that committed first, and the chain holds', async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const late = h.tx.run(async () => {
        await h.trail.append(fact('late'));
        await held;
      });
      await new Promise((r) => setTimeout(r, 100));
      await h.trail.append(fact('early'));
      await h.sealer.seal();
      release();
      await late;
      await h.sealer.seal();
      const [lateId, earlyId] = [await idOf(h.harness, 'late'), await idOf(h.harness, 'early')];
      expect(Number(lateId)).toBeLessThan(Number(earlyId));
      expect(await seqOf(h.harness, lateId)).toBeGreaterThan(await seqOf(h.harness, earlyId));
      expect(await h.trail.verify()).toMatchObject({ ok: true });
      expect(await h.trail.verify('incremental')).toMatchObject({ ok: true });
    });

    it('keeps sealing past the tenth seal: the sequence is a number (a text order put seal 9 after 10)', async () => {
      for (let i = 0; i < 12; i++) {
        await h.trail.append(fact(`n${i}`));
        await h.sealer.seal();
      }
      const [{ n }] = await h.harness.query<{ n: number }>('SELECT count(*)::int AS n FROM unsealed_audit_events');
      expect(n).toBe(0);
      expect(await h.trail.verify()).toMatchObject({ ok: true });
    });

    it('lets one sealer at a time seal: several racing seal every event exactly once, in one chain', async () => {
      await h.trail.appendMany(Array.from({ length: 50 }, (_, i) => fact(`race-${i}`)));
      await Promise.all(Array.from({ length: 4 }, () => h.sealer.seal()));
      await h.sealer.seal();
      const [{ seals, events, distinct }] = await h.harness.query<{ seals: number; events: number; distinct: number }>(
        `SELECT (SELECT count(*)::int FROM audit_seals) AS seals, (SELECT count(*)::int FROM audit_log) AS events,
                (SELECT count(DISTINCT event_id)::int FROM audit_seals) AS distinct`,
      );
      expect([seals, distinct]).toEqual([events, events]);
      expect(await h.trail.verify()).toMatchObject({ ok: true });
    });

    it('checks fewer events incrementally from the last anchor than in full', async () => {
      await h.trail.appendMany([fact('i1'), fact('i2')]);
      await h.sealer.seal();
      await h.trail.append(fact('after-anchor'));
      const full = await h.trail.verify('full');
      const incremental = await h.trail.verify('incremental');
      expect(full.ok && incremental.ok).toBe(true);
      expect(incremental.checked).toBeLessThan(full.checked);
      expect(incremental.checked).toBeGreaterThanOrEqual(1);
    });
  });

  describe('tampering', () => {
    let h: Awaited<ReturnType<typeof start>>;
    beforeEach(async () => {
      h = await start();
      for (const s of ['t1', 't2', 't3', 't4']) await h.trail.append(fact(s));
      await h.sealer.seal();
    });
    afterEach(() => h?.harness.stop());

    it('names an event changed behind the triggers', async () => {
      const target = await idOf(h.harness, 't2');
      await behindTriggers(h.harness, `UPDATE audit_log SET actor_id = 'someone-else' WHERE id = $1`, [target]);
      expect(await h.trail.verify()).toMatchObject({ ok: false, firstBrokenId: target, reason: 'an event or its seal does not match its hash' });
    });

    it('names a chain recomputed after an edit: it no longer matches the anchor', async () => {
      const target = await idOf(h.harness, 't2');
      // Rewrite the event with a consistent content hash, then every seal from it on, as an insider would.
      const { contentHash, sealHash } = await import('@lib/audit');
      const [row] = await h.harness.query<{ at: Date; subject_id: string }>('SELECT at, subject_id FROM audit_log WHERE id = $1', [target]);
      const forged = contentHash({ at: row.at, actorId: 'someone-else', action: 'test.done', subjectType: 'artifact', subjectId: row.subject_id, details: { n: 1 } });
      await behindTriggers(h.harness, `UPDATE audit_log SET actor_id = 'someone-else', hash = $2 WHERE id = $1`, [target, forged]);
      const seals = await h.harness.query<{ seq: string; event_id: string; hash: string }>(
        'SELECT s.seq::text AS seq, s.event_id::text AS event_id, e.hash FROM audit_seals s JOIN audit_log e ON e.id = s.event_id ORDER BY s.seq',
      );
      let prev = '0'.repeat(64);
      for (const s of seals) {
        const hash = sealHash(prev, s.event_id, s.hash);
        await behindTriggers(h.harness, 'UPDATE audit_seals SET prev_hash = $2, hash = $3 WHERE seq = $1', [s.seq, prev, hash]);
        prev = hash;
      }
      const verdict = await h.trail.verify();
      expect(verdict.ok).toBe(false);
      expect(verdict.reason).toMatch(/recomputed: it does not match the anchor at seal \d+/);
    });

    it('names a tail cut off after the last anchor', async () => {
      const last = await idOf(h.harness, 't4');
      await behindTriggers(h.harness, 'DELETE FROM audit_seals WHERE event_id = $1', [last]);
      await behindTriggers(h.harness, 'DELETE FROM unsealed_audit_events WHERE event_id = $1', [last]);
      await behindTriggers(h.harness, 'DELETE FROM audit_log WHERE id = $1', [last]);
      const verdict = await h.trail.verify();
      expect(verdict.ok).toBe(false);
      expect(verdict.reason).toMatch(/tail was cut off/);
    });

    it('refuses an anchor object not signed with the anchor key', async () => {
      await s3Of(h.harness).send(new PutObjectCommand({ Bucket: 'recordings', Key: 'a/99999999999999999999.json', Body: JSON.stringify({ seq: '99', hash: 'x', at: 'now', signature: '00' }) }));
      expect(await h.trail.verify()).toMatchObject({ ok: false, reason: '1 anchor object(s) not signed with the anchor key' });
    });
  });
});
