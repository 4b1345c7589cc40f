import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeDownloadToken, FakeZoomHost, generateSampleMedia, randomMeetingId, SampleMedia, sendWebhook, zoomTime } from '@lib/zoom-simulator';
import { bucketFolderKeys } from './support/bucket';
import { deliverRecording, registerSession } from './support/builders';
import { ServiceHarness, ZOOM_SECRET } from './support/harness';
import { artifactsOf } from './support/rows';
import { waitFor } from './support/wait';

/**
 * Side effects a delivery's transaction asks for run after it commits and are never dropped
 * (issue 11, B.2): the deletion an opt-out requests while ingest applies it inside its own
 * transaction is queued once that commits. Neither the sweep nor the opt-out safety net runs
 * during the test (hour-long intervals), so only the queued job can delete the video.
 */
describe('ingest queues what its transaction asks for, after commit', () => {
  const host = new FakeZoomHost();
  let dir: string;
  let media: SampleMedia;
  let harness: ServiceHarness;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ingest-after-commit-'));
    [media] = await Promise.all([generateSampleMedia(join(dir, 'media'), { seconds: 2 }), host.start()]);
    harness = await ServiceHarness.start({
      env: {
        ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(','),
        OPT_OUT_RECONCILE_INTERVAL_MS: '3600000',
        RETENTION_SWEEP_INTERVAL_MS: '3600000',
      },
    });
  });

  afterAll(async () => {
    await host.stop();
    await harness?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('deletes a stored video at once when a repeat delivery finds an opt-out that was never enforced', async () => {
    const meetingId = randomMeetingId();
    const startTime = zoomTime(Date.now() - 10 * 60_000);
    await registerSession(harness, 'after-commit', { zoomMeetingId: String(meetingId), startsAt: startTime });
    const { id, body } = await deliverRecording(harness, host, media, { meetingId, startTime });
    const video = (await artifactsOf(harness, id)).find((a) => a.kind === 'video')!;
    expect(video.status).toBe('stored');
    // The learner's opt-out is in the ledger, but its enforcement job never ran (Redis lost it).
    await harness.query(
      `INSERT INTO consent_decisions (person_id, purpose, decision, recorded_by, decided_at)
       VALUES ('elisa-after-commit', 'video_recording', 'withdraw', 'platform-service', now())`,
    );
    // Zoom delivers the same recording again with a fresh token: ingest re-applies opt-outs inside its transaction.
    const token = fakeDownloadToken();
    host.acceptToken(token);
    const res = await sendWebhook(`${harness.baseUrl}/webhooks/zoom`, ZOOM_SECRET, { ...body, download_token: token });
    expect(res.status).toBe(200);

    const deleted = await waitFor(
      async () => (await artifactsOf(harness, id)).find((a) => a.id === video.id && a.status === 'deleted'),
      'video deleted by the job queued after the delivery committed',
      10_000,
    );
    expect(deleted.reason).toMatch(/^opt_out: video opt-out by a learner of this session/);
    expect(await bucketFolderKeys(harness.s3Dir)).not.toContain(video.storage_key);
  });
});
