import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIO_EXTRACT_TEMP_PREFIX } from '@lib/ingest';
import { createS3Client } from '@lib/storage';
import { OptOutEnforcer } from '@lib/consent';
import { FakeZoomHost, generateSampleMedia, randomMeetingId, SampleMedia, zoomTime } from '@lib/zoom-simulator';
import { call } from './support/api-client';
import { deliverRecording, recordConsent, registerSession } from './support/builders';
import { bucketFolderKeys, BucketWatch } from './support/bucket';
import { ServiceHarness } from './support/harness';
import { artifactsOf } from './support/rows';
import { RunCounter, waitFor } from './support/wait';

/**
 * Video opt-out (POLICIES §4): a session with a learner who opted out keeps no video, only audio,
 * transcript and chat. At ingest the MP4 never reaches the bucket: with Zoom's M4A it is not even
 * downloaded; without one, the audio is extracted from the MP4 through a size-bounded temporary
 * file that is gone once the audio is stored. An opt-out recorded later removes stored video (and
 * its stream renditions) within a minute, through the one deletion path, audio kept.
 */
describe('video opt-out', () => {
  const host = new FakeZoomHost();
  // The service's temporary files go here, so leftovers of this suite alone can be checked.
  const ownTmp = mkdtempSync(join(tmpdir(), 'opt-out-tmp-'));
  const previousTmp = process.env.TMPDIR;
  let media: SampleMedia;
  let harness: ServiceHarness;
  let s3: S3Client;

  beforeAll(async () => {
    process.env.TMPDIR = ownTmp;
    [media] = await Promise.all([generateSampleMedia(join(ownTmp, 'media'), { seconds: 4 }), host.start()]);
    // A short reconciliation interval: the negative test below then spans several runs of it.
    harness = await ServiceHarness.start({ env: { ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(','), OPT_OUT_RECONCILE_INTERVAL_MS: '200' } });
    s3 = createS3Client(harness.config, harness.s3.endpoint);
  });

  afterAll(async () => {
    await host.stop();
    s3?.destroy();
    await harness?.stop();
    // Assigning undefined would set the string "undefined": the next suite of this worker would write there.
    if (previousTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmp;
    await rm(ownTmp, { recursive: true, force: true });
  });

  const extractionLeftovers = async () => (await readdir(ownTmp)).filter((name) => name.startsWith(AUDIO_EXTRACT_TEMP_PREFIX));
  /** A session whose start is the recording's, with Elisa (and Tom) as learners. */
  async function session(id: string): Promise<{ meetingId: number; startTime: string; elisa: string }> {
    const meetingId = randomMeetingId();
    const startTime = zoomTime(Date.now() - 10 * 60_000);
    await registerSession(harness, id, { zoomMeetingId: String(meetingId), startsAt: startTime });
    return { meetingId, startTime, elisa: `elisa-${id}` };
  }
  const optOut = async (personId: string) => {
    const res = await recordConsent(harness, personId, { purpose: 'video_recording', decision: 'withdraw', decidedBy: personId });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const downloadsOf = (url: string) => host.requests.filter((r) => r.path.includes(FakeZoomHost.keyOf(url)));

  it('never downloads or stores the MP4 when Zoom sent an audio-only file, and keeps audio, transcript and chat', async () => {
    const s = await session('ingest-m4a');
    const decisionId = await optOut(s.elisa);
    const before = new Set(await bucketFolderKeys(harness.s3Dir));
    const watch = new BucketWatch(harness.s3Dir).start();
    const { id, body } = await deliverRecording(harness, host, media, { meetingId: s.meetingId, startTime: s.startTime });
    const seen = await watch.stop();

    const artifacts = await artifactsOf(harness, id);
    const video = artifacts.find((a) => a.kind === 'video')!;
    expect(video.status).toBe('discarded');
    expect(video.reason).toBe(`video opt-out by a learner of this session (consent decision ${decisionId})`);
    const kept = artifacts.filter((a) => a.status === 'stored').map((a) => a.kind).sort();
    expect(kept).toEqual(['audio', 'chat', 'participant_audio', 'participant_audio', 'participant_audio', 'timeline', 'transcript']);
    // No derived audio: Zoom's own M4A is the session's audio.
    expect(artifacts.filter((a) => a.derived_from !== null)).toEqual([]);

    // The bucket, as the server keeps it on disk, watched throughout: only the kept files ever appeared.
    const appeared = [...seen].filter((k) => !before.has(k)).sort();
    expect(appeared).toEqual(artifacts.filter((a) => a.status === 'stored').map((a) => a.storage_key).sort());
    expect(seen.has(video.storage_key)).toBe(false);
    // The MP4 was never even requested from Zoom; the M4A was.
    const mp4 = body.payload.object.recording_files!.find((f) => f.file_type === 'MP4')!;
    const m4a = body.payload.object.recording_files!.find((f) => f.file_type === 'M4A')!;
    expect(downloadsOf(mp4.download_url)).toEqual([]);
    expect(downloadsOf(m4a.download_url).length).toBeGreaterThan(0);

    // The recording shows which file was discarded and why.
    const view = await call(harness, 'GET', `/v1/recordings/${id}`, { roles: ['reviewer'] });
    expect(view.status).toBe(200);
    expect(view.body.status).toBe('archived');
    expect(view.body.artifacts.find((a: { kind: string }) => a.kind === 'video')).toMatchObject({ status: 'discarded', reason: video.reason, deletedAt: null });
  });

  it('without an audio-only file, extracts the audio from the MP4 through a temporary file, never storing the video', async () => {
    const s = await session('ingest-no-m4a');
    await optOut(s.elisa);
    const before = new Set(await bucketFolderKeys(harness.s3Dir));
    const watch = new BucketWatch(harness.s3Dir).start();
    const { video, transcript, chat, participantAudio, seconds } = media;
    const { id } = await deliverRecording(harness, host, { video, transcript, chat, participantAudio, seconds }, { meetingId: s.meetingId, startTime: s.startTime });
    const seen = await watch.stop();

    const artifacts = await artifactsOf(harness, id);
    const mp4 = artifacts.find((a) => a.kind === 'video')!;
    expect(mp4.status).toBe('discarded');
    const audio = artifacts.filter((a) => a.kind === 'audio');
    expect(audio).toHaveLength(1);
    expect(audio[0]).toMatchObject({ status: 'stored', derived_from: mp4.id, zoom_file_key: `audio-from:${mp4.zoom_file_key}` });
    // What was stored is audio alone: ffprobe saw no picture in it.
    expect(audio[0].media_info!.streams.map((st) => st.type)).toEqual(['audio']);
    expect(Number(audio[0].size_bytes)).toBeGreaterThan(1000);
    expect(Number(audio[0].size_bytes)).toBeLessThan(media.video.size);

    const appeared = [...seen].filter((k) => !before.has(k)).sort();
    expect(appeared).toEqual(artifacts.filter((a) => a.status === 'stored').map((a) => a.storage_key).sort());
    expect(seen.has(mp4.storage_key)).toBe(false);
    // The temporary copy of the MP4 (and its directory) is gone.
    expect(await extractionLeftovers()).toEqual([]);
    const view = await call(harness, 'GET', `/v1/recordings/${id}`, { roles: ['admin'] });
    expect(view.body.artifacts.find((a: { kind: string }) => a.kind === 'audio')).toMatchObject({ status: 'stored', derivedFrom: mp4.id });
  });

  it('removes stored video and its stream renditions within a minute of an opt-out, keeping the audio', async () => {
    const s = await session('retro-m4a');
    const { id } = await deliverRecording(harness, host, media, { meetingId: s.meetingId, startTime: s.startTime });
    const stored = await artifactsOf(harness, id);
    const video = stored.find((a) => a.kind === 'video')!;
    expect(video.status).toBe('stored');
    // A stream rendition of the video (the streaming issue, 12, makes these): its own object, derived from the video.
    const streamKey = `${video.storage_key.replace(/\/[^/]+$/, '')}/stream-rendition.ts`;
    await s3.send(new PutObjectCommand({ Bucket: 'recordings', Key: streamKey, Body: Buffer.from('segment bytes') }));
    const [stream] = await harness.query<{ id: string }>(
      `INSERT INTO artifacts (recording_id, kind, storage_key, status, derived_from, size_bytes) VALUES ($1, 'stream', $2, 'stored', $3, 13) RETURNING id`,
      [id, streamKey, video.id],
    );

    const decisionId = await optOut(s.elisa);
    const started = Date.now();
    const gone = await waitFor(
      async () => {
        const rows = await artifactsOf(harness, id);
        const v = rows.find((a) => a.id === video.id)!;
        const st = rows.find((a) => a.id === stream.id)!;
        return v.status === 'deleted' && st.status === 'deleted' ? rows : null;
      },
      'video and stream deleted',
      60_000,
    );
    expect(Date.now() - started).toBeLessThan(60_000);
    const v = gone.find((a) => a.id === video.id)!;
    expect(v.reason).toBe(`opt_out: video opt-out by a learner of this session (consent decision ${decisionId})`);
    const keys = new Set(await bucketFolderKeys(harness.s3Dir));
    expect(keys.has(video.storage_key)).toBe(false);
    expect(keys.has(streamKey)).toBe(false);
    // Audio, transcript and chat stay, objects and all.
    for (const kind of ['audio', 'transcript', 'chat', 'participant_audio']) {
      for (const a of gone.filter((x) => x.kind === kind)) {
        expect(a.status).toBe('stored');
        expect(keys.has(a.storage_key)).toBe(true);
      }
    }
    // Deletion is provable: an audit entry per deleted artifact, under the opt-out cause.
    const audits = await harness.query<{ details: { cause: string } }>("SELECT details FROM audit_log WHERE action = 'artifact.deleted' AND subject_id = $1", [video.id]);
    expect(audits).toHaveLength(1);
    expect(audits[0].details.cause).toBe('opt_out');
  });

  it('without stored audio, derives it from the stored video first, then deletes the video', async () => {
    const s = await session('retro-no-m4a');
    const { video, transcript, chat, seconds } = media;
    const { id } = await deliverRecording(harness, host, { video, transcript, chat, seconds }, { meetingId: s.meetingId, startTime: s.startTime });
    const mp4 = (await artifactsOf(harness, id)).find((a) => a.kind === 'video')!;
    expect(mp4.status).toBe('stored');
    host.resetLog();

    await optOut(s.elisa);
    const done = await waitFor(
      async () => {
        const rows = await artifactsOf(harness, id);
        return rows.find((a) => a.id === mp4.id)?.status === 'deleted' ? rows : null;
      },
      'video deleted after its audio was extracted',
      60_000,
    );
    const audio = done.find((a) => a.kind === 'audio')!;
    expect(audio).toMatchObject({ status: 'stored', derived_from: mp4.id });
    expect(audio.media_info!.streams.map((st) => st.type)).toEqual(['audio']);
    // Extracted from our own copy: Zoom was not asked again.
    expect(host.requests).toEqual([]);
    const keys = new Set(await bucketFolderKeys(harness.s3Dir));
    expect(keys.has(mp4.storage_key)).toBe(false);
    expect(keys.has(audio.storage_key)).toBe(true);
    expect(await extractionLeftovers()).toEqual([]);
  });

  it('applies an opt-out to a recording linked to its session only later', async () => {
    // Elisa opted out in an earlier session; the recording of a new one arrives before that session is registered.
    const earlier = await session('link-earlier');
    await optOut(earlier.elisa);
    const meetingId = randomMeetingId();
    const startTime = zoomTime(Date.now() - 5 * 60_000);
    const { id } = await deliverRecording(harness, host, media, { meetingId, startTime });
    const video = (await artifactsOf(harness, id)).find((a) => a.kind === 'video')!;
    expect(video.status).toBe('stored'); // unmatched: nobody's opt-out applies yet

    const res = await call(harness, 'PUT', '/v1/sessions/link-later', {
      roles: ['platform'],
      json: {
        zoomMeetingId: String(meetingId),
        startsAt: startTime,
        policyProfile: 'tutoring',
        tutor: { personId: 'tutor-link-earlier', displayName: 'Ms Rivera' },
        learners: [{ personId: earlier.elisa, displayName: 'Elisa L', minor: true }],
        parents: [],
      },
    });
    expect(res.body.linkedRecordings).toEqual([id]);
    await waitFor(async () => (await artifactsOf(harness, id)).find((a) => a.id === video.id)?.status === 'deleted', 'linked video deleted', 60_000);
    expect((await artifactsOf(harness, id)).find((a) => a.kind === 'audio')?.status).toBe('stored');
  });

  it('does not touch the video of sessions without an opted-out learner', async () => {
    const s = await session('no-opt-out');
    const { id } = await deliverRecording(harness, host, media, { meetingId: s.meetingId, startTime: s.startTime });
    // Opt-outs elsewhere (earlier tests) and the periodic check (every 200 ms here) leave this one alone: three more runs of it.
    const checks = new RunCounter(harness.app!.get(OptOutEnforcer, { strict: false }), 'reconcile');
    try {
      await checks.more(3, 'three runs of the periodic opt-out check');
    } finally {
      checks.restore();
    }
    expect((await artifactsOf(harness, id)).find((a) => a.kind === 'video')?.status).toBe('stored');
  });

  it('refuses to extract from an MP4 larger than the bound, before downloading it', async () => {
    // A separate service with a 1 MiB bound and a 2 MiB "MP4" announced by Zoom.
    const big = join(ownTmp, 'big.mp4');
    // Noise does not compress: 2 seconds make well over 1 MiB.
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'nullsrc=s=320x240:r=15,geq=random(1)*255:128:128', '-f', 'lavfi', '-i', 'sine', '-t', '2', '-c:v', 'mpeg4', '-q:v', '2', '-c:a', 'aac', big]);
    const bounded = await ServiceHarness.start({
      env: { ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(','), AUDIO_EXTRACT_MAX_BYTES: String(1024 * 1024) },
    });
    try {
      const meetingId = randomMeetingId();
      const startTime = zoomTime(Date.now() - 10 * 60_000);
      await registerSession(bounded, 'bounded', { zoomMeetingId: String(meetingId), startsAt: startTime });
      await recordConsent(bounded, 'elisa-bounded', { purpose: 'video_recording', decision: 'withdraw' });
      host.resetLog();
      const { id, body } = await deliverRecording(bounded, host, { video: { path: big, size: statSync(big).size }, transcript: media.transcript, seconds: 2 }, { meetingId, startTime });
      const rows = await artifactsOf(bounded, id);
      expect(rows.find((a) => a.kind === 'video')?.status).toBe('discarded');
      expect(rows.find((a) => a.kind === 'audio')).toMatchObject({ status: 'failed', reason: 'the video is larger than AUDIO_EXTRACT_MAX_BYTES (1048576 bytes): its audio was not extracted' });
      expect(downloadsOf(body.payload.object.recording_files!.find((f) => f.file_type === 'MP4')!.download_url)).toEqual([]);
      expect(await bucketFolderKeys(bounded.s3Dir)).toEqual(rows.filter((a) => a.status === 'stored').map((a) => a.storage_key).sort());
      expect(await extractionLeftovers()).toEqual([]);
    } finally {
      await bounded.stop();
      await writeFile(big, '');
    }
  });
});
