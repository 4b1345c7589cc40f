import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeZoomHost, FileFaults, generateSampleMedia, randomMeetingId, SampleMedia, zoomTime } from '@lib/zoom-simulator';
import { call } from './support/api-client';
import { deliverRecording, recordConsent, registerSession, sendRecording } from './support/builders';
import { bucketFolderKeys } from './support/bucket';
import { ServiceHarness } from './support/harness';
import { artifactsOf } from './support/rows';
import { waitFor } from './support/wait';

/**
 * The opt-out safety net and holds over files still being archived:
 * - the periodic reconciliation (OPT_OUT_RECONCILE_INTERVAL_MS) applies an opt-out whose job was
 *   never queued;
 * - a hold covers pending files too: an opt-out does not discard a held video that is still
 *   downloading; it is archived as usual and deleted once the hold is released.
 */
describe('opt-out reconciliation and holds over pending video', () => {
  const host = new FakeZoomHost();
  let dir: string;
  let media: SampleMedia;
  let harness: ServiceHarness;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'opt-out-reconcile-'));
    [media] = await Promise.all([generateSampleMedia(join(dir, 'media'), { seconds: 3 }), host.start()]);
    harness = await ServiceHarness.start({
      env: {
        ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(','),
        OPT_OUT_RECONCILE_INTERVAL_MS: '300',
        RETENTION_SWEEP_INTERVAL_MS: '300',
        // A held (stalled) download gives up quickly and is retried, so the suite never waits long.
        ARCHIVE_DOWNLOAD_IDLE_TIMEOUT_MS: '1500',
      },
    });
  });

  afterAll(async () => {
    await host.stop();
    await harness?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function session(id: string) {
    const meetingId = randomMeetingId();
    const startTime = zoomTime(Date.now() - 10 * 60_000);
    await registerSession(harness, id, { zoomMeetingId: String(meetingId), startsAt: startTime });
    return { meetingId, startTime, elisa: `elisa-${id}` };
  }

  it('applies an opt-out whose enforcement job was lost, on the configured interval', async () => {
    const s = await session('lost-job');
    const { id } = await deliverRecording(harness, host, media, { meetingId: s.meetingId, startTime: s.startTime });
    const video = (await artifactsOf(harness, id)).find((a) => a.kind === 'video')!;
    expect(video.status).toBe('stored');
    // The decision is in the ledger but no `enforce-opt-out` job was ever queued (as when Redis lost it).
    const [decision] = await harness.query<{ id: string }>(
      `INSERT INTO consent_decisions (person_id, purpose, decision, recorded_by, decided_at)
       VALUES ($1, 'video_recording', 'withdraw', 'platform-service', now()) RETURNING id`,
      [s.elisa],
    );
    const deleted = await waitFor(
      async () => (await artifactsOf(harness, id)).find((a) => a.id === video.id && a.status === 'deleted'),
      'video deleted by the periodic reconciliation',
      10_000,
    );
    expect(deleted.reason).toBe(`opt_out: video opt-out by a learner of this session (consent decision ${decision.id})`);
    expect(await bucketFolderKeys(harness.s3Dir)).not.toContain(video.storage_key);
  });

  it('keeps a held video that is still downloading: archived as usual, deleted once the hold is released', async () => {
    const s = await session('held-pending');
    // The fake host holds the MP4's download (storage goes silent) until the test lets it go.
    const stall: FileFaults = { stallAfterBytes: 0, stallTimes: Infinity };
    const { id } = await sendRecording(harness, host, media, { meetingId: s.meetingId, startTime: s.startTime, faults: { video: stall } });
    const video = (await artifactsOf(harness, id)).find((a) => a.kind === 'video')!;
    expect(video.status).toBe('pending');
    const hold = await call(harness, 'POST', '/v1/holds', { roles: ['safety'], json: { scope: 'session', targetId: 'held-pending', reason: 'investigation' } });
    expect(hold.status).toBe(201);

    const optOut = await recordConsent(harness, s.elisa, { purpose: 'video_recording', decision: 'withdraw' });
    expect(optOut.status).toBe(201);
    // The opt-out has been applied once the video is either discarded (the defect) or marked for deletion.
    const applied = await waitFor(
      async () => {
        const [row] = await harness.query<{ status: string; delete_requested_at: Date | null; delete_reason: string | null }>(
          'SELECT status, delete_requested_at, delete_reason FROM artifacts WHERE id = $1',
          [video.id],
        );
        return row.status !== 'pending' || row.delete_requested_at !== null ? row : null;
      },
      'opt-out applied to the pending video',
      15_000,
    );
    expect(applied.status).toBe('pending');
    expect(applied.delete_reason).toBe(`opt_out: video opt-out by a learner of this session (consent decision ${optOut.body.id})`);

    // The download goes through: the held video is archived normally…
    stall.stallTimes = 0;
    await waitFor(async () => (await artifactsOf(harness, id)).find((a) => a.id === video.id && a.status === 'stored'), 'held video stored', 30_000);
    // …and kept while the hold lasts: two sweeps that started after it was stored leave it alone.
    const [{ at }] = await harness.query<{ at: Date }>('SELECT now() AS at');
    await waitFor(
      async () => (await harness.query('SELECT 1 FROM retention_sweeps WHERE started_at > $1', [at])).length >= 2,
      'two sweeps after the video was stored',
      10_000,
    );
    expect((await artifactsOf(harness, id)).find((a) => a.id === video.id)!.status).toBe('stored');

    expect((await call(harness, 'DELETE', `/v1/holds/${hold.body.id}`, { roles: ['safety'] })).status).toBe(200);
    const gone = await waitFor(
      async () => (await artifactsOf(harness, id)).find((a) => a.id === video.id && a.status === 'deleted'),
      'video deleted after the hold was released',
      15_000,
    );
    expect(gone.reason).toBe(applied.delete_reason);
    expect(await bucketFolderKeys(harness.s3Dir)).not.toContain(video.storage_key);
  });
});
