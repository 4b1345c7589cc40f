import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeZoomHost, generateSampleMedia, randomMeetingId, SampleMedia, simulateRecording, zoomTime } from '@lib/zoom-simulator';
import { Answer, call } from './support/api-client';
import { s3Of } from './support/bucket';
import { recordConsent, registerSession, seedExpiredArtifacts, sendDelivery } from './support/builders';
import { ServiceHarness } from './support/harness';
import { waitFor } from './support/wait';

/**
 * Issue 15: with the audit trail's global lock gone, ingest (deliveries and their repeats),
 * deletions (the retention sweep), holds placed and released, opt-outs and audited reads all run
 * at once — and PostgreSQL records no deadlock (`pg_stat_database.deadlocks` for this database),
 * no answer is a 5xx, and the chain verifies afterwards.
 */
describe('ingest, deletions, holds, opt-outs and reads at once', () => {
  const host = new FakeZoomHost();
  let harness: ServiceHarness;
  let dir: string;
  let media: SampleMedia;

  const deadlocks = async () =>
    (await harness.query<{ n: number }>('SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()'))[0].n;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rec-concurrency-'));
    [media] = await Promise.all([generateSampleMedia(join(dir, 'media'), { seconds: 6 }), host.start()]);
    harness = await ServiceHarness.start({ env: { ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(','), RETENTION_SWEEP_INTERVAL_MS: '300', AUDIT_SEAL_INTERVAL_MS: '200' } });
  });
  afterAll(async () => {
    await harness?.stop();
    await host.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('records no deadlock, answers no 5xx, loses no delivery and keeps the chain whole', async () => {
    const before = await deadlocks();
    const sessions = ['cc1', 'cc2', 'cc3', 'cc4'];
    const starts = new Map<string, { meetingId: number; startTime: string }>();
    for (const s of sessions) {
      const meetingId = randomMeetingId();
      const startTime = zoomTime(Date.now() - 10 * 60_000);
      starts.set(s, { meetingId, startTime });
      await registerSession(harness, s, { zoomMeetingId: String(meetingId), startsAt: startTime });
    }
    const seeded = await seedExpiredArtifacts(harness, s3Of(harness), { recordings: 10, perRecording: 10 });
    const answers: Answer[] = [];
    const keep = (a: Answer) => (answers.push(a), a);

    const bodies = sessions.map((s) => simulateRecording(host, media, { meetingId: starts.get(s)!.meetingId, startTime: starts.get(s)!.startTime }));
    await Promise.all([
      // Ingest: every delivery three times, all at once.
      ...bodies.flatMap((b) => [sendDelivery(harness, b), sendDelivery(harness, b), sendDelivery(harness, b)]),
      // Holds placed and released on the sessions and their people while files arrive.
      ...sessions.map(async (s) => {
        const hold = keep(await call(harness, 'POST', '/v1/holds', { roles: ['safety'], sub: 'safety-1', json: { scope: 'session', targetId: s, reason: 'review' } }));
        keep(await call(harness, 'POST', '/v1/holds', { roles: ['safety'], sub: 'safety-1', json: { scope: 'person', targetId: `tom-${s}`, reason: 'review' } }));
        if (hold.body?.id) keep(await call(harness, 'DELETE', `/v1/holds/${hold.body.id}`, { roles: ['safety'], sub: 'safety-1' }));
      }),
      // Video opt-outs reaching what is being stored.
      ...sessions.map(async (s) => keep(await recordConsent(harness, `elisa-${s}`, { purpose: 'video_recording', decision: 'withdraw', decidedBy: `parent-${s}` }))),
      // Audited reads throughout.
      ...Array.from({ length: 20 }, async (_, i) => keep(await call(harness, 'GET', `/v1/recordings?unmatched=${i % 2 === 0}`, { roles: ['reviewer'], sub: `rev-${i}` }))),
    ]);

    // Everything settles: each session's recording has no file pending, and the seeded expired files are gone.
    await waitFor(async () => {
      const [{ pending }] = await harness.query<{ pending: number }>(`SELECT count(*)::int AS pending FROM artifacts WHERE status = 'pending'`);
      const [{ recordings }] = await harness.query<{ recordings: number }>(`SELECT count(*)::int AS recordings FROM recordings WHERE session_id = ANY($1)`, [sessions]);
      const [{ left }] = await harness.query<{ left: number }>(`SELECT count(*)::int AS left FROM artifacts WHERE id = ANY($1::uuid[]) AND status <> 'deleted'`, [seeded.map((a) => a.id)]);
      return pending === 0 && recordings === sessions.length && left === 0 ? true : null;
    }, 'ingest and deletions settled', 90_000);

    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(await deadlocks()).toBe(before);
    await waitFor(async () => ((await harness.query('SELECT 1 FROM unsealed_audit_events')).length === 0 ? true : null), 'every audit event sealed');
    expect((await call(harness, 'GET', '/v1/audit/verify')).body).toMatchObject({ ok: true, firstBrokenId: null });
  });
});
