import { CreateMultipartUploadCommand, GetObjectCommand, ListObjectsV2Command, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { ChildProcess, execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { FixedClock } from '@lib/clock';
import { createS3Client, IncompleteUploadSweeper } from '@lib/storage';
import {
  FakeZoomApi,
  fakeDownloadToken,
  FakeZoomHost,
  FileFaults,
  generateLargeFile,
  generateSampleMedia,
  randomMeetingUuid,
  recordingCompletedEvent,
  SampleFile,
  SampleMedia,
  simulateRecording,
} from '@lib/zoom-simulator';
import { sendDelivery, zoomApiEnv, zoomHostEnv, zoomPathSegment } from './support/builders';
import { BUCKET, sha256Stream } from './support/bucket';
import { ServiceHarness } from './support/harness';
import { freePort } from './support/ports';
import { QueueProbe } from './support/queues';
import { ArtifactRow, artifactsOfMeeting, settledArtifacts } from './support/rows';
import { waitFor } from './support/wait';

/**
 * The archive path under the faults Zoom, its CDN, our object storage and our own processes
 * really produce. Every run that should succeed ends with exactly one artifact holding the file's
 * own bytes, exactly one object, and no multipart upload left behind.
 */

const MiB = 1024 * 1024;

describe('archiving Zoom files through faults', () => {
  let workDir: string;
  let host: FakeZoomHost;
  let api: FakeZoomApi;
  let media: SampleMedia;
  let large20: SampleFile;
  let large30: SampleFile;
  const shaOf = new Map<string, string>();

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'archive-faults-'));
    host = new FakeZoomHost();
    await host.start();
    api = new FakeZoomApi({ downloadHost: host });
    await api.start();
    [media, large20, large30] = await Promise.all([
      generateSampleMedia(path.join(workDir, 'media'), { seconds: 4 }),
      generateLargeFile(path.join(workDir, 'large-20.bin'), 20 * MiB),
      generateLargeFile(path.join(workDir, 'large-30.bin'), 30 * MiB),
    ]);
    for (const file of [media.video, large20, large30]) shaOf.set(file.path, await sha256File(file.path));
  });

  afterAll(async () => {
    await api?.stop();
    await host?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  /** Serves `file` as one MP4 of a fresh meeting instance and returns the delivery Zoom would send. */
  function oneVideoRecording(file: SampleFile, opts: { token: string; uuid?: string; fileId?: string; status?: string; faults?: FileFaults }) {
    const served = host.addFile({ path: file.path, contentType: 'video/mp4', faults: opts.faults });
    const event = recordingCompletedEvent({
      uuid: opts.uuid ?? randomMeetingUuid(),
      downloadToken: opts.token,
      files: [
        {
          id: opts.fileId ?? randomUUID(),
          fileType: 'MP4',
          fileExtension: 'MP4',
          recordingType: 'shared_screen_with_speaker_view',
          downloadUrl: served.downloadUrl,
          size: served.size,
          status: opts.status,
        },
      ],
    });
    return { event, uuid: event.payload.object.uuid, key: served.key, object: event.payload.object };
  }

  function acceptedToken(): string {
    const token = fakeDownloadToken();
    host.acceptToken(token);
    return token;
  }

  const downloadRequests = (key: string) => host.requests.filter((r) => r.server === 'download' && r.path === `/rec/download/${key}`).length;

  describe('with Zoom API credentials configured', () => {
    let harness: ServiceHarness;
    let s3: S3Client;

    beforeAll(async () => {
      harness = await ServiceHarness.start({ env: { ...zoomHostEnv(host), ...zoomApiEnv(api) } });
      s3 = createS3Client(harness.config, harness.s3.endpoint);
    });

    afterAll(async () => {
      s3?.destroy();
      await harness?.stop();
    });

    it('retries a download the host answers 503 twice and stores the file on the third attempt', async () => {
      const { event, uuid, key } = oneVideoRecording(media.video, { token: acceptedToken(), faults: { failFirst: 2 } });
      await sendDelivery(harness, event);

      const artifact = await settledSingle(harness, uuid, 30_000);
      expect(artifact.status).toBe('stored');
      expect(artifact.attempts).toBe(3);
      expect(downloadRequests(key)).toBe(3);
      await expectOneCorrectArtifact(harness, s3, uuid, shaOf.get(media.video.path)!);
    });

    it('starts over when storage drops the connection mid-body, leaving no part of the broken upload behind', async () => {
      const { event, uuid, key } = oneVideoRecording(large20, { token: acceptedToken(), faults: { dropAfterBytes: 12 * MiB, dropTimes: 1 } });
      await sendDelivery(harness, event);

      const artifact = await settledSingle(harness, uuid, 30_000);
      expect(artifact.status).toBe('stored');
      expect(artifact.attempts).toBe(2);
      // The broken response really delivered bytes (a part went up) before the reset.
      expect(host.bytesServed(key)).toBeGreaterThanOrEqual(8 * MiB + large20.size);
      await expectOneCorrectArtifact(harness, s3, uuid, shaOf.get(large20.path)!);
    });

    it('keeps retrying while object storage is unreachable and stores the file once it is back', async () => {
      const port = new URL(harness.s3.endpoint).port;
      await harness.s3.stop();
      let restarted = false;
      try {
        const { event, uuid } = oneVideoRecording(large20, { token: acceptedToken() });
        await sendDelivery(harness, event);

        // `attempts` counts started runs: a third one means two have already failed against the stopped server.
        const retrying = await waitFor(
          async () => {
            const [a] = await artifactsOfMeeting(harness, uuid);
            return a && a.attempts >= 3 ? a : null;
          },
          'two failed attempts against the stopped S3 server',
          30_000,
        );
        expect(retrying.status).toBe('pending');
        expect(retrying.reason).toMatch(/^retrying: /);

        await harness.s3.start();
        restarted = true;
        expect(new URL(harness.s3.endpoint).port).toBe(port);

        const artifact = await settledSingle(harness, uuid, 60_000);
        expect(artifact.status).toBe('stored');
        expect(artifact.attempts).toBeGreaterThanOrEqual(3);
        await expectOneCorrectArtifact(harness, s3, uuid, shaOf.get(large20.path)!);
      } finally {
        if (!restarted) await harness.s3.start();
      }
    });

    it('fails a file served as a 200 HTML error page at once, never retries it, and stores the other files', async () => {
      const body = simulateRecording(host, media, { faults: { video: { htmlErrorPage: true } } });
      const uuid = body.payload.object.uuid;
      const videoKey = FakeZoomHost.keyOf(body.payload.object.recording_files!.find((f) => f.file_type === 'MP4')!.download_url);
      const expected = body.payload.object.recording_files!.length + body.payload.object.participant_audio_files!.length;
      const deliveredAt = Date.now();
      await sendDelivery(harness, body);

      const video = await waitFor(
        async () => (await artifactsOfMeeting(harness, uuid)).find((a) => a.kind === 'video' && a.status !== 'pending'),
        'the video to settle',
        10_000,
      );
      expect(Date.now() - deliveredAt).toBeLessThan(10_000);
      expect(video.status).toBe('failed');
      expect(video.reason).toMatch(/HTML page/);

      const all = await settledArtifacts(harness, uuid, expected, 30_000);
      for (const artifact of all.filter((a) => a.id !== video.id)) {
        expect({ kind: artifact.kind, status: artifact.status }).toEqual({ kind: artifact.kind, status: 'stored' });
      }
      // A retry (200 ms backoff here) would wait in the queue: once every queue is idle, none is coming.
      await everyJobDone(harness);
      const [again] = (await artifactsOfMeeting(harness, uuid)).filter((a) => a.id === video.id);
      expect(again).toMatchObject({ status: 'failed', attempts: 1 });
      expect(downloadRequests(videoKey)).toBe(1);
      expect(await harness.s3.listIncompleteUploads(BUCKET)).toEqual([]);
      // The probe that was fed the page must not linger waiting for bytes that never come.
      await waitFor(async () => childProcesses('ffprobe').length === 0, 'no ffprobe left running', 5_000);
    });

    it('renews an expired download token through the Zoom API and stores the file from the fresh link', async () => {
      const fileId = randomUUID();
      const uuid = randomMeetingUuid();
      const expired = fakeDownloadToken({ ttlSeconds: -60 });
      const stale = oneVideoRecording(media.video, { token: expired, uuid, fileId });
      const freshToken = fakeDownloadToken();
      const fresh = oneVideoRecording(media.video, { token: freshToken, uuid, fileId });
      api.setRecording(uuid, fresh.object, freshToken);
      await sendDelivery(harness, stale.event);

      const artifact = await settledSingle(harness, uuid, 30_000);
      expect(artifact.status).toBe('stored');
      expect(api.requests.some((r) => r.method === 'POST' && r.rawPath.startsWith('/oauth/token?') && r.status === 200)).toBe(true);
      expect(api.requests).toContainEqual(
        expect.objectContaining({ method: 'GET', rawPath: expect.stringMatching(recordingsPath(uuid)), status: 200 }),
      );
      // The expired token was never offered to Zoom: the stale link was not even tried.
      expect(downloadRequests(stale.key)).toBe(0);
      expect(downloadRequests(fresh.key)).toBe(1);
      await expectOneCorrectArtifact(harness, s3, uuid, shaOf.get(media.video.path)!);
    });

    it('asks the Zoom API again for a file Zoom still reports as processing and stores it once completed', async () => {
      const fileId = randomUUID();
      const uuid = randomMeetingUuid();
      const processing = oneVideoRecording(media.video, { token: acceptedToken(), uuid, fileId, status: 'processing' });
      const freshToken = fakeDownloadToken();
      const completed = oneVideoRecording(media.video, { token: freshToken, uuid, fileId, status: 'completed' });
      api.setRecording(uuid, completed.object, freshToken);
      await sendDelivery(harness, processing.event);

      const artifact = await settledSingle(harness, uuid, 30_000);
      expect(artifact.status).toBe('stored');
      expect(api.requests).toContainEqual(
        expect.objectContaining({ method: 'GET', rawPath: expect.stringMatching(recordingsPath(uuid)), status: 200 }),
      );
      expect(downloadRequests(processing.key)).toBe(0);
      expect(downloadRequests(completed.key)).toBe(1);
      await expectOneCorrectArtifact(harness, s3, uuid, shaOf.get(media.video.path)!);
    });
  });

  describe('without Zoom API credentials', () => {
    let harness: ServiceHarness;

    beforeAll(async () => {
      harness = await ServiceHarness.start({ env: zoomHostEnv(host) });
    });

    afterAll(async () => {
      await harness?.stop();
    });

    it('fails a file whose download token has expired, naming the missing API credentials, without trying the link', async () => {
      const { event, uuid, key } = oneVideoRecording(media.video, { token: fakeDownloadToken({ ttlSeconds: -60 }) });
      await sendDelivery(harness, event);

      const artifact = await settledSingle(harness, uuid, 10_000);
      expect(artifact.status).toBe('failed');
      expect(artifact.reason).toMatch(/no Zoom API credentials/i);
      await everyJobDone(harness);
      const [again] = await artifactsOfMeeting(harness, uuid);
      expect(again).toMatchObject({ status: 'failed', attempts: 1 });
      expect(downloadRequests(key)).toBe(0);
    });
  });

  describe('when the worker process is killed mid-upload', () => {
    let harness: ServiceHarness;
    let s3: S3Client;
    const output: string[] = [];

    beforeAll(async () => {
      // The worker runs from dist/ as its own process; a no-op when the build is current.
      execFileSync(process.execPath, [path.resolve(__dirname, '../scripts/build.js'), '--quiet'], { stdio: 'inherit', timeout: 180_000 });
      harness = await ServiceHarness.start({ runMode: 'api', env: zoomHostEnv(host) });
      s3 = createS3Client(harness.config, harness.s3.endpoint);
    });

    afterAll(async () => {
      s3?.destroy();
      await harness?.stop();
    });

    async function spawnWorker(name: string): Promise<ChildProcess> {
      // PORT=0 (spawnService's default) is refused by the config check; give the worker a real free port.
      const child = harness.spawnService({ RUN_MODE: 'worker', PORT: String(await freePort()) });
      const keep = (chunk: Buffer) => {
        output.push(`[${name}] ${chunk.toString()}`);
        if (output.length > 200) output.shift();
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      return child;
    }

    it('lets a new worker re-run the archive, abort the dead run’s upload and store the file exactly once', async () => {
      const { event, uuid, key } = oneVideoRecording(large30, { token: acceptedToken(), faults: { throttleBytesPerSecond: 3 * MiB } });
      const first = await spawnWorker('worker-1');
      await sendDelivery(harness, event);

      try {
        await waitFor(
          async () => host.bytesServed(key) > 12 * MiB && (await harness.s3.listIncompleteUploads(BUCKET)).length > 0,
          'the first worker to be mid-upload',
          30_000,
        );
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${output.join('')}`);
      }
      const exited = new Promise((resolve) => first.once('exit', resolve));
      first.kill('SIGKILL');
      await exited;
      const leftover = await harness.s3.listIncompleteUploads(BUCKET);
      expect(leftover).toHaveLength(1);
      const [beforeRestart] = await artifactsOfMeeting(harness, uuid);
      expect(beforeRestart).toMatchObject({ status: 'pending', attempts: 1 });

      await spawnWorker('worker-2');
      let artifact: ArtifactRow;
      try {
        artifact = await settledSingle(harness, uuid, 60_000);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${output.join('')}`);
      }
      expect(artifact.status).toBe('stored');
      expect(artifact.attempts).toBe(2);
      const rows = await harness.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM artifacts a JOIN recordings r ON r.id = a.recording_id WHERE r.zoom_meeting_uuid = $1 AND a.zoom_file_key = $2`,
        [uuid, artifact.zoom_file_key],
      );
      expect(rows[0].n).toBe(1);
      await expectOneCorrectArtifact(harness, s3, uuid, shaOf.get(large30.path)!);
    }, 110_000);
  });

  describe('the periodic incomplete-upload sweep', () => {
    let harness: ServiceHarness;
    let s3: S3Client;
    const clock = new FixedClock(new Date());

    beforeAll(async () => {
      harness = await ServiceHarness.start({ clock, env: zoomHostEnv(host) });
      s3 = createS3Client(harness.config, harness.s3.endpoint);
    });

    afterAll(async () => {
      s3?.destroy();
      await harness?.stop();
    });

    async function startUpload(): Promise<string> {
      const key = `r/${randomBytes(16).toString('hex')}/${randomBytes(12).toString('hex')}.mp4`;
      const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ContentType: 'video/mp4' }));
      await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: created.UploadId, PartNumber: 1, Body: randomBytes(64 * 1024) }));
      return created.UploadId!;
    }

    const openUploadIds = async () => (await harness.s3.listIncompleteUploads(BUCKET)).map((u) => u.uploadId);

    it('aborts multipart uploads started more than a day ago and keeps younger ones', async () => {
      const sweeper = harness.app!.get(IncompleteUploadSweeper);
      const stale = await startUpload();
      expect(await openUploadIds()).toEqual([stale]);

      clock.set(new Date(Date.now() + 2 * 24 * 3_600_000));
      expect(await sweeper.sweep()).toBe(1);
      expect(await openUploadIds()).toEqual([]);

      const fresh = await startUpload();
      clock.set(new Date());
      expect(await sweeper.sweep()).toBe(0);
      clock.set(new Date(Date.now() + 23 * 3_600_000));
      expect(await sweeper.sweep()).toBe(0);
      expect(await openUploadIds()).toEqual([fresh]);
    });
  });
});

/** The path Zoom's API wants: the uuid encoded once, or twice when it starts with `/` or holds `//`. */
function recordingsPath(uuid: string): RegExp {
  return new RegExp(`^/v2/meetings/${escapeRegExp(zoomPathSegment(uuid))}/recordings(\\?|$)`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function settledSingle(harness: ServiceHarness, uuid: string, timeoutMs: number): Promise<ArtifactRow> {
  const [only] = await settledArtifacts(harness, uuid, 1, timeoutMs);
  return only;
}

/** One stored artifact whose recorded hash, and whose one object's bytes, are the source file's. */
async function expectOneCorrectArtifact(harness: ServiceHarness, s3: S3Client, uuid: string, sourceSha256: string): Promise<void> {
  const rows = await artifactsOfMeeting(harness, uuid);
  expect(rows).toHaveLength(1);
  const [artifact] = rows;
  expect(artifact).toMatchObject({ status: 'stored', sha256: sourceSha256 });
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${artifact.storage_prefix}/` }));
  expect((listed.Contents ?? []).map((o) => o.Key)).toEqual([artifact.storage_key]);
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: artifact.storage_key }));
  expect(await sha256Stream(object.Body as Readable)).toBe(sourceSha256);
  expect(await harness.s3.listIncompleteUploads(BUCKET)).toEqual([]);
  // Nor any stray part on disk: s3rver keeps each unfinished upload in a folder of its own.
  expect(uploadFoldersOnDisk(harness)).toEqual([]);
}

function uploadFoldersOnDisk(harness: ServiceHarness): string[] {
  try {
    return readdirSync(path.join(harness.s3Dir, BUCKET, '._S3rver_uploads'));
  } catch {
    return [];
  }
}

function sha256File(file: string): Promise<string> {
  return sha256Stream(createReadStream(file));
}

/** This process's live children with that command name (the service runs in-process). */
function childProcesses(command: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces, so read from the last ')'.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (comm === command && state !== 'Z' && Number(ppid) === process.pid) pids.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return pids;
}

async function everyJobDone(harness: ServiceHarness): Promise<void> {
  const queues = QueueProbe.open(harness);
  try {
    await waitFor(() => queues.idle(), 'every queue idle', 20_000);
  } finally {
    await queues.close();
  }
}
