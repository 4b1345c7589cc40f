import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FakeZoomHost, generateSampleMedia, SampleMedia, sendWebhook, simulateRecording } from '@lib/zoom-simulator';
import { ServiceHarness, ZOOM_SECRET } from './support/harness';
import { freePort } from './support/ports';
import { waitFor } from './support/wait';

/** A Redis of this suite's own, on a spare port, that the suite may stop: never the machine's. */
async function startRedis(port: number): Promise<ChildProcess> {
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await waitFor(async () => {
    const net = await import('node:net');
    return new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.end(), resolve(true)));
      s.on('error', () => resolve(false));
    });
  }, 'throwaway redis to listen', 10_000);
  return redis;
}

async function stopRedis(redis: ChildProcess): Promise<void> {
  if (redis.exitCode !== null) return;
  const exited = new Promise((resolve) => redis.once('exit', resolve));
  redis.kill('SIGKILL');
  await exited;
}

describe('acknowledged deliveries are never lost', () => {
  let redisPort: number;
  let redis: ChildProcess;
  let host: FakeZoomHost;
  let harness: ServiceHarness;
  let media: SampleMedia;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'relay-'));
    media = await generateSampleMedia(dir, { seconds: 2 });
    host = new FakeZoomHost();
    await host.start();
    redisPort = await freePort();
    redis = await startRedis(redisPort);
    harness = await ServiceHarness.start({
      env: { REDIS_URL: `redis://127.0.0.1:${redisPort}`, ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(',') },
    });
  });

  afterAll(async () => {
    await harness?.stop();
    await stopRedis(redis);
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('acknowledges a delivery while Redis is down and archives it once Redis is back', async () => {
    await stopRedis(redis);
    const body = simulateRecording(host, media);
    const started = Date.now();
    const answer = await sendWebhook(`${harness.baseUrl}/webhooks/zoom`, ZOOM_SECRET, body);
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
    const [row] = await harness.query<{ status: string }>('SELECT status FROM webhook_deliveries WHERE zoom_meeting_uuid = $1', [body.payload.object.uuid]);
    expect(row.status).toBe('received');
    // The failed enqueue and the queues' connection errors are counted, not swallowed.
    const metrics = () => fetch(`${harness.baseUrl}/metrics`).then((r) => r.text());
    expect(await metrics()).toMatch(/background_failures_total\{operation="enqueue-delivery"\} [1-9]/);
    await waitFor(async () => /queue_errors_total\{queue="ingest",source="queue"\} [1-9]/.test(await metrics()), 'queue errors to be counted', 10_000);

    redis = await startRedis(redisPort);
    const stored = await waitFor(async () => {
      const rows = await harness.query<{ status: string }>(
        `SELECT a.status FROM artifacts a JOIN recordings r ON r.id = a.recording_id WHERE r.zoom_meeting_uuid = $1`,
        [body.payload.object.uuid],
      );
      return rows.length > 0 && rows.every((r) => r.status === 'stored') ? rows : null;
    }, 'the relayed delivery to be archived', 60_000, 250);
    expect(stored.length).toBe(body.payload.object.recording_files!.length + body.payload.object.participant_audio_files!.length);
    const [delivery] = await harness.query<{ status: string }>('SELECT status FROM webhook_deliveries WHERE zoom_meeting_uuid = $1', [body.payload.object.uuid]);
    expect(delivery.status).toBe('processed');
  });
});
