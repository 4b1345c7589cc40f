import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { InboxRelay } from '@lib/ingest';
import { createS3Client } from '@lib/storage';
import {
  FakeZoomHost,
  generateSampleMedia,
  randomMeetingUuid,
  SampleMedia,
  sendWebhook,
  signedHeaders,
  simulateRecording,
  urlValidationEvent,
} from '@lib/zoom-simulator';
import { ServiceHarness, ZOOM_SECRET } from './support/harness';
import { QueueProbe } from './support/queues';
import { RunCounter, waitFor } from './support/wait';

/**
 * Zoom's webhook (ZOOM.md "Delivery", CONTRACT "Webhook answers"): only a delivery signed with our
 * secret token, over its raw bytes, within five minutes of now, is kept; everything else is refused
 * and leaves no trace. A kept delivery is answered before anything is downloaded.
 */

// Zoom's documented example plainToken, answered under the harness's secret token. Computed once
// with `createHmac('sha256', 'test-zoom-webhook-secret').update('qgg8vlvZRS6UYooatFL8Aw')`.
const PLAIN_TOKEN = 'qgg8vlvZRS6UYooatFL8Aw';
const KNOWN_ENCRYPTED_TOKEN = 'ae1d7c2ff47f3b33717be2d0418fdb70841ef280d9b4c76aab2c2a2e73444a20';
const BODY_LIMIT_BYTES = 2 * 1024 * 1024;
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('Zoom webhook signatures', () => {
  const host = new FakeZoomHost();
  let mediaDir: string;
  let media: SampleMedia;
  let harness: ServiceHarness;
  let s3: S3Client;
  let queues: QueueProbe;
  let relayRuns: RunCounter;

  beforeAll(async () => {
    mediaDir = await mkdtemp(join(tmpdir(), 'webhook-signature-'));
    [media] = await Promise.all([generateSampleMedia(mediaDir, { seconds: 3 }), host.start()]);
    harness = await ServiceHarness.start({ env: { ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(',') } });
    s3 = createS3Client(harness.config, harness.s3.endpoint);
    queues = QueueProbe.open(harness, ['ingest', 'archive', 'maintenance']);
    relayRuns = new RunCounter(harness.app!.get(InboxRelay, { strict: false }), 'relay');
  });

  afterAll(async () => {
    // The host first: it ends throttled downloads, so the service's workers can close.
    await host.stop();
    await queues?.close();
    s3?.destroy();
    await harness?.stop();
    await rm(mediaDir, { recursive: true, force: true });
  });

  const webhookUrl = () => `${harness.baseUrl}/webhooks/zoom`;

  async function post(raw: string, headers: Record<string, string>) {
    const started = performance.now();
    const res = await fetch(webhookUrl(), { method: 'POST', headers, body: raw });
    const text = await res.text();
    return { status: res.status, text, ms: performance.now() - started };
  }

  const jobsInRedis = () => queues.jobCount();

  async function objectsInBucket(): Promise<number> {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'recordings' }));
    return listed.KeyCount ?? 0;
  }

  async function deliveryRows(where = 'TRUE', params: unknown[] = []) {
    return harness.query<{ event: string; status: string; body: unknown; zoom_meeting_uuid: string | null }>(
      `SELECT event, status, body, zoom_meeting_uuid FROM webhook_deliveries WHERE ${where}`,
      params,
    );
  }

  const fileKeys = (body: ReturnType<typeof simulateRecording>) =>
    [...(body.payload.object.recording_files ?? []), ...(body.payload.object.participant_audio_files ?? [])].map((f) =>
      FakeZoomHost.keyOf(f.download_url),
    );

  /**
   * Nothing of a refused delivery exists anywhere: no inbox row, no job, and (after the worker had
   * ample time to act on one) no recording, no download and no object. These tests run before any
   * delivery is accepted, so the whole inbox, queue and bucket must be empty.
   */
  async function expectNothingKept(uuid: string, keys: string[]): Promise<void> {
    expect(await deliveryRows()).toEqual([]);
    expect(await jobsInRedis()).toBe(0);
    // The relay is what would pick up a row the webhook left behind: two more runs and it has looked.
    await relayRuns.more(2, 'two inbox-relay runs');
    expect(await harness.query('SELECT id FROM recordings WHERE zoom_meeting_uuid = $1', [uuid])).toEqual([]);
    expect(host.requests.filter((r) => keys.some((k) => r.path.includes(k)))).toEqual([]);
    expect(await jobsInRedis()).toBe(0);
    expect(await objectsInBucket()).toBe(0);
  }

  describe('refused deliveries (before any delivery is accepted)', () => {
    type Forgery = (raw: string) => { raw: string; headers: Record<string, string> };
    const withoutHeader = (name: string): Forgery => (raw) => {
      const headers = signedHeaders(ZOOM_SECRET, raw, nowSeconds());
      delete headers[name];
      return { raw, headers };
    };
    const forgeries: Array<[string, Forgery]> = [
      ['signed with another secret', (raw) => ({ raw, headers: signedHeaders('not-our-zoom-secret', raw, nowSeconds()) })],
      ['whose timestamp is six minutes old', (raw) => ({ raw, headers: signedHeaders(ZOOM_SECRET, raw, nowSeconds() - 360) })],
      ['whose timestamp is six minutes in the future', (raw) => ({ raw, headers: signedHeaders(ZOOM_SECRET, raw, nowSeconds() + 360) })],
      [
        'whose body had one byte changed after signing',
        (raw) => {
          const changed = raw.replace('"Maths tutoring"', '"Maths tutorinG"');
          expect(changed).not.toBe(raw);
          expect(Buffer.byteLength(changed)).toBe(Buffer.byteLength(raw));
          return { raw: changed, headers: signedHeaders(ZOOM_SECRET, raw, nowSeconds()) };
        },
      ],
      ['without the x-zm-signature header', withoutHeader('x-zm-signature')],
      ['without the x-zm-request-timestamp header', withoutHeader('x-zm-request-timestamp')],
    ];

    it.each(forgeries)('refuses a delivery %s with 401 and keeps nothing of it', async (_, forge) => {
      const body = simulateRecording(host, media);
      const { raw, headers } = forge(JSON.stringify(body));
      const res = await post(raw, headers);
      expect(res.status).toBe(401);
      await expectNothingKept(body.payload.object.uuid, fileKeys(body));
    });

    it('refuses a correctly signed body that is not valid JSON with 400 and keeps nothing of it', async () => {
      const body = simulateRecording(host, media);
      const raw = JSON.stringify(body).slice(0, -1);
      const res = await post(raw, signedHeaders(ZOOM_SECRET, raw, nowSeconds()));
      expect(res.status).toBe(400);
      await expectNothingKept(body.payload.object.uuid, fileKeys(body));
    });

    it('refuses a correctly signed recording.completed without payload.object.uuid with 400 and keeps nothing of it', async () => {
      const body = simulateRecording(host, media);
      const { uuid } = body.payload.object;
      const withoutUuid = { ...body, payload: { ...body.payload, object: { ...body.payload.object, uuid: undefined } } };
      const raw = JSON.stringify(withoutUuid);
      expect(raw).not.toContain('"uuid"');
      const res = await post(raw, signedHeaders(ZOOM_SECRET, raw, nowSeconds()));
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text).message).toContain('payload.object.uuid');
      await expectNothingKept(uuid, fileKeys(body));
    });

    it('refuses a correctly signed body over the 2 MiB size limit with 413 and keeps nothing of it', async () => {
      const body = simulateRecording(host, media);
      const raw = JSON.stringify({ ...body, padding: 'x'.repeat(BODY_LIMIT_BYTES) });
      const res = await post(raw, signedHeaders(ZOOM_SECRET, raw, nowSeconds()));
      expect(res.status).toBe(413);
      await expectNothingKept(body.payload.object.uuid, fileKeys(body));
    });

    it('refuses an unsigned URL validation with 401 and does not reveal the encrypted token', async () => {
      const raw = JSON.stringify(urlValidationEvent(PLAIN_TOKEN));
      const res = await post(raw, { 'content-type': 'application/json' });
      expect(res.status).toBe(401);
      expect(res.text).not.toContain(KNOWN_ENCRYPTED_TOKEN);
    });
  });

  describe('URL validation', () => {
    it('answers endpoint.url_validation with the plainToken and hex HMAC-SHA256 of it under the secret token', async () => {
      const expected = createHmac('sha256', ZOOM_SECRET).update(PLAIN_TOKEN).digest('hex');
      expect(expected).toBe(KNOWN_ENCRYPTED_TOKEN);
      const res = await sendWebhook(webhookUrl(), ZOOM_SECRET, urlValidationEvent(PLAIN_TOKEN));
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ plainToken: PLAIN_TOKEN, encryptedToken: KNOWN_ENCRYPTED_TOKEN });
    });
  });

  describe('events we do not use', () => {
    it('answers an unknown event (meeting.started) 200 and records it as ignored, keeping none of its body', async () => {
      const body = {
        event: 'meeting.started',
        event_ts: Date.now(),
        payload: {
          account_id: 'sim-account',
          object: { uuid: randomMeetingUuid(), id: 81234567890, topic: 'Maths with Elisa', host_email: 'ms.rivera@tutoring.example' },
        },
      };
      const res = await sendWebhook(webhookUrl(), ZOOM_SECRET, body);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ status: 'ignored' });
      expect(await deliveryRows()).toEqual([{ event: 'meeting.started', status: 'ignored', body: null, zoom_meeting_uuid: null }]);
      expect(await jobsInRedis()).toBe(0);
    });
  });

  describe('accepted deliveries', () => {
    async function waitArchived(uuid: string) {
      return waitFor(
        async () => (await harness.query<{ status: string }>('SELECT status FROM recordings WHERE zoom_meeting_uuid = $1', [uuid]))[0]?.status === 'archived',
        `recording ${uuid} archived`,
        30_000,
      );
    }

    it('accepts a recording.completed signed with the secret token (200) and archives it', async () => {
      const body = simulateRecording(host, media);
      const res = await sendWebhook(webhookUrl(), ZOOM_SECRET, body);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ status: 'accepted' });
      const rows = await deliveryRows('zoom_meeting_uuid = $1', [body.payload.object.uuid]);
      expect(rows.map((r) => r.event)).toEqual(['recording.completed']);
      await waitArchived(body.payload.object.uuid);
    });

    it('accepts a delivery signed four minutes ago (inside the five-minute replay window)', async () => {
      const body = simulateRecording(host, media);
      const res = await sendWebhook(webhookUrl(), ZOOM_SECRET, body, { timestampSeconds: nowSeconds() - 240 });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ status: 'accepted' });
      await waitArchived(body.payload.object.uuid);
    });

    it('answers within 500 ms without downloading: the video and audio are stored only later, after their slow downloads', async () => {
      // The video and the audio each trickle out over about four seconds, so a webhook that
      // downloaded inline could not answer in time, and neither can be stored when it answers.
      const slow = (size: number) => ({ throttleBytesPerSecond: Math.max(1, Math.floor(size / 4)) });
      const body = simulateRecording(host, media, { faults: { video: slow(media.video.size), audio: slow(media.audio.size) } });
      const { uuid } = body.payload.object;
      const slowFilesStoredAt = () =>
        harness.query<{ stored_at: Date | null }>(
          `SELECT a.stored_at FROM artifacts a JOIN recordings r ON r.id = a.recording_id
           WHERE r.zoom_meeting_uuid = $1 AND a.kind IN ('video', 'audio')`,
          [uuid],
        );
      const raw = JSON.stringify(body);
      const res = await post(raw, signedHeaders(ZOOM_SECRET, raw, nowSeconds()));
      const answeredAt = Date.now();

      expect(res.status).toBe(200);
      expect(res.ms).toBeLessThan(500);
      expect((await slowFilesStoredAt()).filter((a) => a.stored_at !== null)).toEqual([]);

      await waitArchived(uuid);
      const stored = await slowFilesStoredAt();
      expect(stored).toHaveLength(2);
      for (const { stored_at } of stored) expect(stored_at!.getTime()).toBeGreaterThanOrEqual(answeredAt + 2000);
    });
  });
});
