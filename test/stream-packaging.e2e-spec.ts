import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawnSync } from 'node:child_process';
import { createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { JobQueue } from '@lib/jobs';
import { STREAM_PACKAGE_TEMP_PREFIX, unwrapStreamKey } from '@lib/playback';
import { FakeZoomHost, generateSampleMedia, randomMeetingId, SampleMedia, zoomTime } from '@lib/zoom-simulator';
import { call } from './support/api-client';
import { deliverRecording, recordConsent, registerSession } from './support/builders';
import { BUCKET, objectKeys, s3Of } from './support/bucket';
import { ServiceHarness } from './support/harness';
import { QueueProbe } from './support/queues';
import { artifactsOf, auditOf } from './support/rows';
import { waitFor } from './support/wait';

interface StreamRow {
  id: string;
  status: string;
  storage_key: string;
  derived_from: string;
  stream_key_wrapped: string | null;
  stream_audio_only: boolean | null;
  expires_at: Date | null;
  retention_class: string | null;
  reason: string | null;
}

/**
 * Issue 12, packaging: every stored video (and the audio of a recording without one) becomes AES-128
 * encrypted HLS under an unguessable folder, with the source's retention; the key exists only
 * wrapped by MEDIA_MASTER_KEY. Real ffmpeg, S3 and PostgreSQL.
 */
describe('stream packaging', () => {
  const host = new FakeZoomHost();
  const ownTmp = mkdtempSync(join(tmpdir(), 'stream-tmp-'));
  const previousTmp = process.env.TMPDIR;
  let media: SampleMedia;
  let harness: ServiceHarness;
  let s3: S3Client;

  beforeAll(async () => {
    process.env.TMPDIR = ownTmp;
    [media] = await Promise.all([generateSampleMedia(join(ownTmp, 'media'), { seconds: 8 }), host.start()]);
    harness = await ServiceHarness.start({ env: { ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(','), OPT_OUT_RECONCILE_INTERVAL_MS: '200', STREAM_PACKAGING: 'true' } });
    s3 = s3Of(harness);
  });

  afterAll(async () => {
    await host.stop();
    s3?.destroy();
    await harness?.stop();
    if (previousTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmp;
    await rm(ownTmp, { recursive: true, force: true });
  });

  const streamOf = (sourceId: string) =>
    harness.query<StreamRow>(
      `SELECT id, status, storage_key, derived_from, stream_key_wrapped, stream_audio_only, expires_at, retention_class, reason
       FROM artifacts WHERE kind = 'stream' AND derived_from = $1`,
      [sourceId],
    );
  const storedStream = (sourceId: string, timeoutMs = 60_000) =>
    waitFor(async () => (await streamOf(sourceId)).find((s) => s.status === 'stored'), `stream of ${sourceId} stored`, timeoutMs);
  const leftovers = async () => (await readdir(ownTmp)).filter((name) => name.startsWith(STREAM_PACKAGE_TEMP_PREFIX));
  const objectBytes = async (key: string) => {
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const chunks: Buffer[] = [];
    for await (const chunk of object.Body as Readable) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  /** ffprobe on a file: the codecs of the streams it could decode, or null when it could not read it. */
  const probeCodecs = (file: string): string[] | null => {
    const run = spawnSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', file], { encoding: 'utf8' });
    if (run.status !== 0) return null;
    const streams = (JSON.parse(run.stdout).streams ?? []) as Array<{ codec_name?: string }>;
    return streams.length > 0 ? streams.map((s) => s.codec_name ?? '?').sort() : null;
  };
  const session = async (id: string) => {
    const meetingId = randomMeetingId();
    const startTime = zoomTime(Date.now() - 10 * 60_000);
    await registerSession(harness, id, { zoomMeetingId: String(meetingId), startsAt: startTime });
    return { meetingId, startTime, elisa: `elisa-${id}` };
  };

  it('packages a delivered video as encrypted HLS under its own folder, with the video\'s retention and no key in the bucket', async () => {
    const s = await session('packaged');
    const { id } = await deliverRecording(harness, host, media, { meetingId: s.meetingId, startTime: s.startTime });
    const video = (await artifactsOf(harness, id)).find((a) => a.kind === 'video')!;
    const stream = await storedStream(video.id);

    expect(stream.storage_key).toMatch(new RegExp(`^${video.storage_prefix}/[0-9a-f]{24}$`));
    expect(stream.stream_audio_only).toBe(false);
    expect(stream.retention_class).toBe('media');
    expect(stream.expires_at?.getTime()).toBe(video.expires_at?.getTime());
    const keys = await objectKeys(s3, stream.storage_key);
    const names = keys.map((k) => k.slice(stream.storage_key.length + 1));
    expect(names).toEqual(expect.arrayContaining(['index.m3u8', 'poster.jpg', 'seg-00000.ts']));
    expect(names.every((n) => /^(index\.m3u8|poster\.jpg|seg-\d{5}\.ts)$/.test(n))).toBe(true);

    const playlist = (await objectBytes(`${stream.storage_key}/index.m3u8`)).toString('utf8');
    expect(playlist).toMatch(/#EXT-X-KEY:METHOD=AES-128,URI="key",IV=0x[0-9a-f]{32}/);
    const uris = playlist.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(uris.length).toBeGreaterThan(0);
    expect(uris.every((u) => /^seg-\d{5}\.ts$/.test(u))).toBe(true);
    expect(playlist).not.toMatch(/https?:|\/\//);

    // The key: only wrapped in the row, never in the bucket.
    const key = unwrapStreamKey(stream.stream_key_wrapped!, harness.config.mediaMasterKey);
    for (const k of keys) expect((await objectBytes(k)).includes(key)).toBe(false);

    expect(await auditOf(harness, stream.id, 'stream.packaged')).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ recordingId: id, sourceId: video.id, audioOnly: false }) }),
    ]);
    expect(await leftovers()).toEqual([]);
  });

  it('plays what the job packaged through the API alone: playlist, key and segment by token, with no header, decoding once decrypted', async () => {
    const s = await session('played');
    const { id } = await deliverRecording(harness, host, media, { meetingId: s.meetingId, startTime: s.startTime });
    const video = (await artifactsOf(harness, id)).find((a) => a.kind === 'video')!;
    await storedStream(video.id);
    const grant = await call(harness, 'POST', `/v1/recordings/${id}/playback`, { roles: ['reviewer'], sub: 'reviewer-1' });
    expect(grant.status).toBe(201);
    const base = new URL(grant.body.url, harness.baseUrl);
    const fetchBytes = async (url: URL) => {
      const answer = await fetch(url);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('cache-control')).toBe('no-store, private');
      return Buffer.from(await answer.arrayBuffer());
    };
    const playlist = (await fetchBytes(base)).toString('utf8');
    const iv = Buffer.from(/IV=0x([0-9a-f]{32})/i.exec(playlist)![1], 'hex');
    const first = playlist.split('\n').find((l) => l && !l.startsWith('#'))!;
    const segment = await fetchBytes(new URL(first, base));
    const key = await fetchBytes(new URL('key', base));
    expect(key).toHaveLength(16);

    const dir = mkdtempSync(join(ownTmp, 'played-'));
    const decrypted = join(dir, 'decrypted.ts');
    const decipher = createDecipheriv('aes-128-cbc', key, iv);
    await writeFile(decrypted, Buffer.concat([decipher.update(segment), decipher.final()]));
    expect(probeCodecs(decrypted)).toEqual(['aac', 'h264']);
    await rm(dir, { recursive: true, force: true });
  });

  it('stores segments that do not decode without the key, and decode once decrypted with the unwrapped key and the playlist\'s IV', async () => {
    const s = await session('encrypted');
    const { id } = await deliverRecording(harness, host, media, { meetingId: s.meetingId, startTime: s.startTime });
    const video = (await artifactsOf(harness, id)).find((a) => a.kind === 'video')!;
    const stream = await storedStream(video.id);
    const playlist = (await objectBytes(`${stream.storage_key}/index.m3u8`)).toString('utf8');
    const iv = Buffer.from(/IV=0x([0-9a-f]{32})/i.exec(playlist)![1], 'hex');
    const segment = await objectBytes(`${stream.storage_key}/seg-00000.ts`);

    const dir = mkdtempSync(join(ownTmp, 'segments-'));
    const encrypted = join(dir, 'encrypted.ts');
    await writeFile(encrypted, segment);
    expect(probeCodecs(encrypted)).toBeNull();

    const key = unwrapStreamKey(stream.stream_key_wrapped!, harness.config.mediaMasterKey);
    const decipher = createDecipheriv('aes-128-cbc', key, iv);
    const decrypted = join(dir, 'decrypted.ts');
    await writeFile(decrypted, Buffer.concat([decipher.update(segment), decipher.final()]));
    expect(probeCodecs(decrypted)).toEqual(['aac', 'h264']);
    await rm(dir, { recursive: true, force: true });
  });

  it('gives a recording whose video an opt-out withheld an audio-only stream (no poster)', async () => {
    const s = await session('audio-only');
    await recordConsent(harness, s.elisa, { purpose: 'video_recording', decision: 'withdraw', decidedBy: s.elisa });
    const { id } = await deliverRecording(harness, host, media, { meetingId: s.meetingId, startTime: s.startTime });
    const rows = await artifactsOf(harness, id);
    expect(rows.find((a) => a.kind === 'video')?.status).toBe('discarded');
    const audio = rows.find((a) => a.kind === 'audio' && a.status === 'stored')!;
    const stream = await storedStream(audio.id);
    expect(stream.stream_audio_only).toBe(true);
    const names = (await objectKeys(s3, stream.storage_key)).map((k) => k.slice(stream.storage_key.length + 1));
    expect(names).toContain('index.m3u8');
    expect(names).not.toContain('poster.jpg');
    expect(await leftovers()).toEqual([]);
  });

  it('deletes the stream and its objects when an opt-out removes the video, then streams the audio alone', async () => {
    const s = await session('opt-out-later');
    const { id } = await deliverRecording(harness, host, media, { meetingId: s.meetingId, startTime: s.startTime });
    const rows = await artifactsOf(harness, id);
    const video = rows.find((a) => a.kind === 'video')!;
    const audio = rows.find((a) => a.kind === 'audio')!;
    const stream = await storedStream(video.id);
    expect((await objectKeys(s3, stream.storage_key)).length).toBeGreaterThan(1);

    await recordConsent(harness, s.elisa, { purpose: 'video_recording', decision: 'withdraw', decidedBy: s.elisa });
    await waitFor(async () => (await streamOf(video.id))[0]?.status === 'deleted', 'stream deleted by the opt-out', 60_000);
    expect(await objectKeys(s3, stream.storage_key)).toEqual([]);
    // With the video gone, the reconciling pass gives the recording an audio-only stream.
    const audioStream = await storedStream(audio.id);
    expect(audioStream.stream_audio_only).toBe(true);
  });

  it('packages nothing for a source on its way out', async () => {
    const { videoId } = await seedVideo(Buffer.from('never read'), { deleteRequested: true });
    const queues = QueueProbe.open(harness, ['media']);
    try {
      await harness.app!.get(JobQueue).enqueue('package-stream', { artifactId: videoId });
      await waitFor(() => queues.idle(), 'the packaging job to finish');
      expect(await streamOf(videoId)).toEqual([]);
    } finally {
      await queues.close();
    }
  });

  it('leaves no stored stream and no objects when ffmpeg fails, and fails the stream after its attempts', async () => {
    // A "video" whose bytes are not media: ffmpeg refuses it on every attempt.
    const { videoId } = await seedVideo(randomBytes(4096));
    const failed = await waitFor(async () => (await streamOf(videoId)).find((s) => s.status === 'failed'), 'stream failed', 60_000);
    expect(failed.reason).toBe('packaging failed');
    expect(await objectKeys(s3, failed.storage_key)).toEqual([]);
    expect(await auditOf(harness, failed.id, 'stream.failed')).toHaveLength(1);
    expect(await auditOf(harness, failed.id, 'stream.packaged')).toEqual([]);
    expect(await leftovers()).toEqual([]);
    const attempts = await harness.query<{ attempts: number }>('SELECT attempts FROM artifacts WHERE id = $1', [failed.id]);
    expect(attempts[0].attempts).toBeGreaterThanOrEqual(1); // restarted from scratch on each retry
  });

  /** A stored video row and its object, straight into the database and bucket (no Zoom). */
  async function seedVideo(bytes: Buffer, opts: { deleteRequested?: boolean } = {}): Promise<{ videoId: string }> {
    const prefix = `r/${randomBytes(16).toString('hex')}`;
    const [recording] = await harness.query<{ id: string }>(
      `INSERT INTO recordings (zoom_meeting_uuid, zoom_meeting_id, policy_profile, started_at, status, storage_prefix)
       VALUES ($1, '81234567890', 'tutoring', now(), 'archived', $2) RETURNING id`,
      [`seed-${randomBytes(8).toString('hex')}`, prefix],
    );
    const key = `${prefix}/${randomBytes(12).toString('hex')}.mp4`;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes, ContentType: 'video/mp4' }));
    const mediaInfo = { durationSeconds: 8, formatName: 'mov,mp4', streams: [{ type: 'video', codec: 'h264' }, { type: 'audio', codec: 'aac' }] };
    const [video] = await harness.query<{ id: string }>(
      `INSERT INTO artifacts (recording_id, kind, zoom_file_key, storage_key, content_type, status, size_bytes, stored_at, media_info,
         retention_class, delete_requested_at)
       VALUES ($1, 'video', 'seed-video', $2, 'video/mp4', 'stored', $3, now(), $4, 'media', $5) RETURNING id`,
      [recording.id, key, bytes.length, JSON.stringify(mediaInfo), opts.deleteRequested ? new Date() : null],
    );
    return { videoId: video.id };
  }
});
