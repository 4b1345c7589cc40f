import { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { FakeZoomHost, generateLargeFile, generateSampleMedia, SampleFile, SampleMedia, sendWebhook, simulateRecording } from '@lib/zoom-simulator';
import { call } from './support/api-client';
import { seedExpiredArtifacts, zoomHostEnv } from './support/builders';
import { BUCKET, countDeletions, objectKeys, objectSha256, s3Of } from './support/bucket';
import { buildDist } from './support/cli';
import { Fleet, FleetMember } from './support/fleet';
import { ServiceHarness, ZOOM_SECRET } from './support/harness';
import { QueueProbe } from './support/queues';
import { artifactsOfMeeting } from './support/rows';
import { waitFor } from './support/wait';

/**
 * docs/operations.md: any number of API and worker replicas share one PostgreSQL, one Redis queue
 * prefix and one bucket. Here two API processes and two worker processes (the built service, each
 * its own process) do so: a delivery sent to both APIs is downloaded once, the retention sweep runs
 * on one worker at a time, and a worker killed mid-archive loses nothing.
 */

const MiB = 1024 * 1024;
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('two API and two worker processes on one database, queue prefix and bucket', () => {
  const host = new FakeZoomHost();
  let workDir: string;
  let media: SampleMedia;
  let large: SampleFile;
  let harness: ServiceHarness;
  let s3: S3Client;
  let fleet: Fleet;
  let apis: FleetMember[];
  let workers: FleetMember[];

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'scale-out-'));
    [media, large] = await Promise.all([
      generateSampleMedia(path.join(workDir, 'media'), { seconds: 2 }),
      generateLargeFile(path.join(workDir, 'large-16.bin'), 16 * MiB),
      host.start(),
    ]);
    buildDist();
    // The suite's own in-process service serves the API only (reads, /v1/audit/verify) and the
    // embedded S3 every process shares; all queue work happens in the spawned workers.
    harness = await ServiceHarness.start({ runMode: 'api', env: zoomHostEnv(host) });
    s3 = s3Of(harness);
    fleet = new Fleet(harness);
    const workerEnv = { RETENTION_SWEEP_INTERVAL_MS: '300' };
    [apis, workers] = await Promise.all([
      Promise.all([fleet.start('api-1', 'api'), fleet.start('api-2', 'api')]),
      Promise.all([fleet.start('worker-1', 'worker', workerEnv), fleet.start('worker-2', 'worker', workerEnv)]),
    ]);
  }, 240_000);

  afterAll(async () => {
    for (const worker of workers ?? []) if (worker.child.signalCode === 'SIGSTOP') worker.child.kill('SIGCONT');
    await host.stop();
    s3?.destroy();
    await harness?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  /** Archived, every delivery of it processed, and no job left that could still download something. */
  async function settled(uuid: string): Promise<{ id: string; storage_prefix: string }> {
    const queues = QueueProbe.open(harness);
    try {
      return await fleet.explain(
        waitFor(
          async () => {
            const [recording] = await harness.query<{ id: string; status: string; storage_prefix: string }>(
              'SELECT id, status, storage_prefix FROM recordings WHERE zoom_meeting_uuid = $1',
              [uuid],
            );
            if (recording?.status !== 'archived') return null;
            const open = await harness.query("SELECT 1 FROM webhook_deliveries WHERE zoom_meeting_uuid = $1 AND status <> 'processed'", [uuid]);
            return open.length === 0 && (await queues.idle()) ? recording : null;
          },
          `recording ${uuid} archived and settled`,
          40_000,
        ),
      );
    } finally {
      await queues.close();
    }
  }

  it('downloads and stores each file once when the same delivery reaches both API processes twice', async () => {
    const body = simulateRecording(host, media);
    const { uuid } = body.payload.object;
    const answers = await Promise.all([...apis, ...apis].map((api) => sendWebhook(`${api.baseUrl}/webhooks/zoom`, ZOOM_SECRET, body)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(answers.map((a) => JSON.parse(a.body).status).sort()).toEqual(['accepted', 'duplicate', 'duplicate', 'duplicate']);

    const recording = await settled(uuid);
    const files = [...body.payload.object.recording_files!, ...(body.payload.object.participant_audio_files ?? [])];
    for (const file of files) {
      const key = FakeZoomHost.keyOf(file.download_url);
      const served = host.requests.filter((r) => r.path.includes(key));
      expect([file.file_type, served.filter((r) => r.server === 'download').length, served.filter((r) => r.server === 'storage').length]).toEqual([file.file_type, 1, 1]);
    }
    const artifacts = await artifactsOfMeeting(harness, uuid);
    expect(artifacts).toHaveLength(files.length);
    expect(artifacts.every((a) => a.status === 'stored' && a.attempts === 1)).toBe(true);
    expect(await objectKeys(s3, recording.storage_prefix)).toEqual(artifacts.map((a) => a.storage_key).sort());
    const video = artifacts.find((a) => a.kind === 'video')!;
    expect([video.sha256, await objectSha256(s3, video.storage_key)]).toEqual([sha256(media.video.path), sha256(media.video.path)]);
  });

  it('runs one retention sweep at a time across both workers, deleting each object once', async () => {
    const deletions = countDeletions(harness);
    const before = (await harness.query<{ n: number }>('SELECT count(*)::int AS n FROM retention_sweeps'))[0].n;
    const seeded = await seedExpiredArtifacts(harness, s3, { recordings: 10, perRecording: 10 });

    await fleet.explain(
      waitFor(
        async () => {
          const [row] = await harness.query<{ n: number }>(`SELECT count(*)::int AS n FROM artifacts WHERE id = ANY($1) AND status = 'deleted'`, [seeded.map((a) => a.id)]);
          return row.n === seeded.length;
        },
        `all ${seeded.length} seeded artifacts deleted`,
        40_000,
        250,
      ),
    );
    const audit = await harness.query<{ subject_id: string; n: number }>(
      `SELECT subject_id, count(*)::int AS n FROM audit_log WHERE action = 'artifact.deleted' AND subject_id = ANY($1) GROUP BY subject_id`,
      [seeded.map((a) => a.id)],
    );
    expect(audit.map((row) => row.n)).toEqual(Array(seeded.length).fill(1));
    for (const { key } of seeded) expect([key, deletions.get(key)]).toEqual([key, 1]);

    // Both workers tick every 300 ms; wait for several more finished sweeps so the check below
    // compares many neighbours, not one or two.
    const sweeps = await waitFor(
      async () => {
        const rows = await harness.query<{ started_at: Date; finished_at: Date }>('SELECT started_at, finished_at FROM retention_sweeps ORDER BY started_at, id');
        return rows.length >= before + 6 ? rows : null;
      },
      'six more finished sweeps',
      20_000,
    );
    for (let i = 1; i < sweeps.length; i += 1) expect(sweeps[i].started_at.getTime()).toBeGreaterThanOrEqual(sweeps[i - 1].finished_at.getTime());
    expect((await call(harness, 'GET', '/v1/audit/verify')).body).toMatchObject({ ok: true });
  });

  it('keeps the other worker from sweeping while one sweep is held up', async () => {
    // Two clients of our own: one holds up the next sweep's closing INSERT (it then keeps the sweep
    // lock), one gates the reads every tick begins with, to watch the other worker tick meanwhile.
    const [held, gate] = [new Client({ connectionString: harness.databaseUrl }), new Client({ connectionString: harness.databaseUrl })];
    await Promise.all([held.connect(), gate.connect()]);
    const blockedOn = async (pattern: string) =>
      (await harness.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`, [pattern])).map((r) => r.pid);
    try {
      await held.query('BEGIN; LOCK TABLE retention_sweeps IN EXCLUSIVE MODE');
      const [sweeping] = await fleet.explain(
        waitFor(async () => {
          const pids = await blockedOn('INSERT INTO retention_sweeps%');
          return pids.length > 0 ? pids : null;
        }, 'a sweep held up at its record'),
      );
      // A tick reads retention_policies at most twice before it tries the sweep lock, and a worker
      // never starts a tick before its last one finished: a third gated read proves a whole tick of
      // the other worker went by, sweep attempt included.
      for (let gated = 0; gated < 3; gated += 1) {
        await gate.query('BEGIN; LOCK TABLE retention_policies IN ACCESS EXCLUSIVE MODE');
        await waitFor(
          async () => (await blockedOn('%FROM retention_policies%')).length > 0 || (await blockedOn('INSERT INTO retention_sweeps%')).length > 1,
          'the other worker to tick',
          10_000,
          20,
        );
        expect(await blockedOn('INSERT INTO retention_sweeps%')).toEqual([sweeping]);
        await gate.query('COMMIT');
      }
    } finally {
      await gate.query('ROLLBACK').catch(() => undefined);
      await held.query('ROLLBACK').catch(() => undefined);
      await Promise.all([held.end(), gate.end()]);
    }
  });

  it('loses nothing when a worker is killed mid-archive: the other worker stores the file once, with its own bytes', async () => {
    const [first, other] = workers;
    // The other worker pauses (SIGSTOP) while the delivery arrives, so the first one is sure to take
    // the file; it resumes before the first is killed.
    other.child.kill('SIGSTOP');
    const body = simulateRecording(host, { seconds: 2, video: large }, { faults: { video: { throttleBytesPerSecond: 4 * MiB } } });
    const { uuid } = body.payload.object;
    const key = FakeZoomHost.keyOf(body.payload.object.recording_files![0].download_url);
    try {
      const answer = await sendWebhook(`${apis[0].baseUrl}/webhooks/zoom`, ZOOM_SECRET, body);
      expect(answer.status).toBe(200);
      await fleet.explain(waitFor(async () => host.bytesServed(key) > 4 * MiB, 'the first worker to be mid-download', 30_000, 50));
    } finally {
      other.child.kill('SIGCONT');
    }
    await fleet.kill(first);
    expect(host.bytesServed(key)).toBeLessThan(large.size);
    const [meanwhile] = await artifactsOfMeeting(harness, uuid);
    expect(meanwhile).toMatchObject({ status: 'pending', attempts: 1 });

    await settled(uuid);
    const artifacts = await artifactsOfMeeting(harness, uuid);
    expect(artifacts).toHaveLength(1);
    expect(artifacts[0]).toMatchObject({ status: 'stored', attempts: 2, sha256: sha256(large.path) });
    expect(await objectKeys(s3, artifacts[0].storage_prefix)).toEqual([artifacts[0].storage_key]);
    expect(await objectSha256(s3, artifacts[0].storage_key)).toBe(sha256(large.path));
    // The dead run's multipart upload (if it had begun one) is aborted, not left to bill.
    await waitFor(async () => (await harness.s3.listIncompleteUploads(BUCKET)).length === 0, 'no multipart upload left behind', 20_000);
  }, 90_000);
});
