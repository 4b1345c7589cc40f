import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { FixedClock } from '@lib/clock';
import { ObjectReconciler } from '@lib/retention';
import { ObjectStore } from '@lib/storage';
import { ServiceHarness } from './support/harness';

const HOUR_MS = 3600_000;
const hex = (n: number) => randomBytes(n).toString('hex');

/**
 * Objects never outlive their rows (issue 11, A.5): the reconciler deletes what no live row
 * references once it is older than the grace period, and never anything a live row references.
 * Real service, PostgreSQL and s3rver; time moved with the injected clock.
 */
describe('the object reconciler', () => {
  const clock = new FixedClock(new Date());
  let harness: ServiceHarness;
  let store: ObjectStore;
  let reconciler: ObjectReconciler;
  const live: Record<string, string> = {};
  const orphans: Record<string, string> = {};

  const put = (key: string) => store.put(key, Readable.from([Buffer.from('bytes')]), { contentType: 'application/octet-stream' });
  const exists = async (key: string) => (await store.head(key)) !== null;

  beforeAll(async () => {
    harness = await ServiceHarness.start({ clock, env: { OBJECT_RECONCILE_GRACE_HOURS: '24' } });
    store = harness.app!.get(ObjectStore);
    reconciler = harness.app!.get(ObjectReconciler);
    const prefix = `r/${hex(16)}`;
    const [recording] = await harness.query<{ id: string }>(
      `INSERT INTO recordings (zoom_meeting_uuid, zoom_meeting_id, policy_profile, started_at, status, storage_prefix)
       VALUES ($1, '81234567890', 'tutoring', now(), 'archived', $2) RETURNING id`,
      [`rec-${hex(8)}`, prefix],
    );
    const artifact = async (kind: string, status: string) => {
      const key = `${prefix}/${hex(12)}.bin`;
      await harness.query(`INSERT INTO artifacts (recording_id, kind, storage_key, status) VALUES ($1, $2, $3, $4)`, [recording.id, kind, key, status]);
      return key;
    };
    const evidence = async (erased: boolean) => {
      const person = `person-${hex(4)}`;
      const key = `e/${hex(16)}/${hex(12)}.json`;
      await harness.query(`INSERT INTO people (id, display_name, erased_at) VALUES ($1, 'x', $2)`, [person, erased ? new Date() : null]);
      await harness.query(
        `INSERT INTO consent_decisions (person_id, purpose, decision, recorded_by, evidence_key, decided_at) VALUES ($1, 'images', 'grant', 'admin', $2, now())`,
        [person, key],
      );
      return key;
    };

    live.stored = await artifact('video', 'stored');
    live.pending = await artifact('audio', 'pending');
    const stream = await artifact('stream', 'stored');
    live.streamSegment = `${stream}/v0/seg-00001.ts`;
    live.evidence = await evidence(false);
    live.notOurs = `ops/${hex(4)}/readme.txt`;

    // The three causes of A.5, and what erasure or a deletion left behind.
    orphans.afterDiscard = await artifact('video', 'discarded');
    orphans.failedUploadCleanup = `u/${hex(16)}/${hex(12)}.jpg`;
    orphans.stray = `${prefix}/${hex(12)}.mp4`;
    const deletedStream = await artifact('stream', 'deleted');
    orphans.recreatedAfterDeletion = deletedStream;
    orphans.segmentOfDeleted = `${deletedStream}/v0/seg-00001.ts`;
    orphans.evidenceOfErased = await evidence(true);

    for (const key of [...Object.values(live), ...Object.values(orphans)]) await put(key);
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('keeps objects without a live row while they are younger than the grace period', async () => {
    clock.set(new Date(Date.now() + 23 * HOUR_MS));
    const result = await reconciler.reconcile();
    expect(result).toMatchObject({ ran: true, deleted: 0, orphans: [] });
    expect(result.young).toBe(Object.keys(orphans).length);
    for (const key of Object.values(orphans)) expect(await exists(key)).toBe(true);
  });

  it('lists in a dry run what would go, and deletes nothing', async () => {
    clock.set(new Date(Date.now() + 25 * HOUR_MS));
    const result = await reconciler.reconcile({ dryRun: true });
    expect(result.orphans.map((o) => o.key).sort()).toEqual(Object.values(orphans).sort());
    for (const key of Object.values(orphans)) expect(await exists(key)).toBe(true);
  });

  it('runs one reconciliation at a time: another holding the lock makes this one skip', async () => {
    await harness.query('SELECT pg_advisory_lock($1)', [7_302_115_202]);
    try {
      expect(await reconciler.reconcile()).toMatchObject({ ran: false, deleted: 0 });
    } finally {
      await harness.query('SELECT pg_advisory_unlock($1)', [7_302_115_202]);
    }
    for (const key of Object.values(orphans)) expect(await exists(key)).toBe(true);
  });

  it('deletes, after the grace period, every object no live row references, and names why', async () => {
    const result = await reconciler.reconcile();
    expect(result.deleted).toBe(Object.keys(orphans).length);
    const causes = Object.fromEntries(result.orphans.map((o) => [o.key, o.cause]));
    expect(causes).toEqual({
      [orphans.afterDiscard]: 'row_discarded',
      [orphans.failedUploadCleanup]: 'no_row',
      [orphans.stray]: 'no_row',
      [orphans.recreatedAfterDeletion]: 'row_deleted',
      [orphans.segmentOfDeleted]: 'row_deleted',
      [orphans.evidenceOfErased]: 'evidence_of_erased_person',
    });
    for (const key of Object.values(orphans)) expect(await exists(key)).toBe(false);
  });

  it('never deletes an object a live row references, nor anything outside our prefixes', async () => {
    clock.set(new Date(Date.now() + 90 * 24 * HOUR_MS));
    await reconciler.reconcile();
    for (const key of Object.values(live)) expect(await exists(key)).toBe(true);
  });

  it('audits each deletion by key and cause only, and counts it in /metrics', async () => {
    const rows = await harness.query<{ subject_id: string; subject_type: string; actor_id: string; details: Record<string, unknown> }>(
      `SELECT subject_id, subject_type, actor_id, details FROM audit_log WHERE action = 'object.reconciled'`,
    );
    expect(rows.map((r) => r.subject_id).sort()).toEqual(Object.values(orphans).sort());
    for (const r of rows) {
      expect(r).toMatchObject({ subject_type: 'object', actor_id: 'object-reconciler' });
      expect(Object.keys(r.details).sort()).toEqual(expect.arrayContaining(['cause']));
      expect(Object.keys(r.details).every((k) => k === 'cause' || k === 'artifactId')).toBe(true);
    }
    const metrics = await (await fetch(`${harness.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/storage_orphan_objects_deleted_total\{cause="no_row"\} 2/);
    expect(metrics).toMatch(/storage_orphan_objects_deleted_total\{cause="row_deleted"\} 2/);
    expect(metrics).toMatch(/storage_reconcile_last_run_timestamp_seconds \d+/);
    expect(metrics).toMatch(/storage_reconcile_duration_seconds \d/);
  });
});
