import { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FakeZoomHost,
  fakeDownloadToken,
  generateSampleMedia,
  randomMeetingId,
  SampleMedia,
  sendWebhook,
  simulateRecording,
  transcriptCompletedEvent,
  zoomTime,
} from '@lib/zoom-simulator';
import { registerSession } from './support/builders';
import { objectKeys, objectSha256, s3Of } from './support/bucket';
import { ServiceHarness, ZOOM_SECRET } from './support/harness';
import { QueueProbe } from './support/queues';
import { artifactsOf as artifactsOfRecording } from './support/rows';
import { waitFor } from './support/wait';

/**
 * Zoom delivers at least once, and sometimes the same recording again with fresh links
 * (ZOOM.md "Delivery"). Whatever arrives, one meeting instance is one recording, one Zoom file is
 * one artifact and one object holding the file's own bytes, and a stored file is never downloaded
 * again (CONTRACT "Downloads", "Artifacts").
 */

type RecordingBody = ReturnType<typeof simulateRecording>;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('ingest of repeated and partial Zoom deliveries', () => {
  const host = new FakeZoomHost();
  let mediaDir: string;
  let media: SampleMedia;
  let harness: ServiceHarness;
  let s3: S3Client;
  let queues: QueueProbe;

  beforeAll(async () => {
    mediaDir = await mkdtemp(join(tmpdir(), 'ingest-dedupe-'));
    [media] = await Promise.all([generateSampleMedia(mediaDir, { seconds: 4 }), host.start()]);
    harness = await ServiceHarness.start({ env: { ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(',') } });
    s3 = s3Of(harness);
    queues = QueueProbe.open(harness, ['ingest', 'archive']);
  });

  afterAll(async () => {
    await host.stop();
    await queues?.close();
    s3?.destroy();
    await harness?.stop();
    await rm(mediaDir, { recursive: true, force: true });
  });

  const webhookUrl = () => `${harness.baseUrl}/webhooks/zoom`;
  const deliver = (body: object) => sendWebhook(webhookUrl(), ZOOM_SECRET, body);

  /** The sample files in the order simulateRecording lists them: recording files, then participant tracks. */
  const sampleFiles = () => [media.video, media.audio, media.transcript, media.chat, media.timeline, ...media.participantAudio];
  const zoomFiles = (body: RecordingBody) => [...(body.payload.object.recording_files ?? []), ...(body.payload.object.participant_audio_files ?? [])];

  const recordingsOf = (uuid: string) =>
    harness.query<{ id: string; status: string; session_id: string | null; storage_prefix: string }>(
      'SELECT id, status, session_id, storage_prefix FROM recordings WHERE zoom_meeting_uuid = $1',
      [uuid],
    );

  const artifactsOf = (recordingId: string) => artifactsOfRecording(harness, recordingId, 'created');

  /** Archived, every delivery of it processed, and no job left that could still download something. */
  async function settled(uuid: string): Promise<{ id: string; session_id: string | null; storage_prefix: string }> {
    return waitFor(
      async () => {
        const [recording] = await recordingsOf(uuid);
        if (recording?.status !== 'archived') return null;
        const unprocessed = await harness.query("SELECT id FROM webhook_deliveries WHERE zoom_meeting_uuid = $1 AND status <> 'processed'", [uuid]);
        if (unprocessed.length > 0) return null;
        return (await queues.idle()) ? recording : null;
      },
      `recording ${uuid} archived and settled`,
      40_000,
    );
  }

  /** Requests the fake host served for one Zoom file, by server. */
  function requestsFor(downloadUrl: string) {
    const key = FakeZoomHost.keyOf(downloadUrl);
    const forKey = host.requests.filter((r) => r.path.includes(key));
    return { download: forKey.filter((r) => r.server === 'download').length, storage: forKey.filter((r) => r.server === 'storage').length };
  }


  it('keeps one recording, one artifact and one object per file, each downloaded once, when the same delivery arrives 10 times at once', async () => {
    const body = simulateRecording(host, media);
    const { uuid } = body.payload.object;

    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(body)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers.map((a) => JSON.parse(a.body).status).sort()).toEqual(['accepted', ...Array(9).fill('duplicate')]);

    const recording = await settled(uuid);
    expect(await recordingsOf(uuid)).toHaveLength(1);
    // Identical repeats write nothing (they are counted by the metric): one row, stored once.
    const inbox = await harness.query<{ delivery_count: number }>('SELECT delivery_count FROM webhook_deliveries WHERE zoom_meeting_uuid = $1', [uuid]);
    expect(inbox).toEqual([{ delivery_count: 1 }]);
    const metrics = await (await fetch(`${harness.baseUrl}/metrics`)).text();
    expect(Number(/zoom_webhook_deliveries_total\{outcome="duplicate"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(9);

    const files = zoomFiles(body);
    const artifacts = await artifactsOf(recording.id);
    expect(artifacts).toHaveLength(files.length);
    expect(artifacts.map((a) => a.kind).sort()).toEqual(
      ['audio', 'chat', 'participant_audio', 'participant_audio', 'participant_audio', 'timeline', 'transcript', 'video'],
    );
    expect(artifacts.every((a) => a.status === 'stored')).toBe(true);
    expect(await objectKeys(s3, recording.storage_prefix)).toEqual(artifacts.map((a) => a.storage_key).sort());

    for (const [i, file] of files.entries()) {
      expect({ file: file.file_type, ...requestsFor(file.download_url) }).toEqual({ file: file.file_type, download: 1, storage: 1 });
      const expected = sha256(await readFile(sampleFiles()[i].path));
      const artifact = artifacts.find((a) => a.zoom_file_key === (file.id ?? `${file.file_type}@${file.recording_start}`));
      expect(artifact?.sha256).toBe(expected);
      expect(await objectSha256(s3, artifact!.storage_key)).toBe(expected);
    }
  });

  it('keeps one artifact and downloads once when one delivery lists the same file twice', async () => {
    const body = simulateRecording(host, media);
    const { uuid } = body.payload.object;
    const transcript = body.payload.object.recording_files!.find((f) => f.file_type === 'TRANSCRIPT')!;
    body.payload.object.recording_files!.push({ ...transcript });

    expect(JSON.parse((await deliver(body)).body)).toEqual({ status: 'accepted' });
    const recording = await settled(uuid);
    const artifacts = await artifactsOf(recording.id);
    expect(artifacts).toHaveLength(zoomFiles(body).length - 1);
    expect(artifacts.filter((a) => a.kind === 'transcript').map((a) => a.status)).toEqual(['stored']);
    expect(requestsFor(transcript.download_url)).toEqual({ download: 1, storage: 1 });
    const announced = await harness.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'artifact.announced' AND details->>'recordingId' = $1`,
      [recording.id],
    );
    expect(announced).toEqual([{ n: artifacts.length }]);
  });

  it('adds a transcript that arrives later (recording.transcript_completed) to the same recording', async () => {
    const completed = simulateRecording(host, media);
    const object = completed.payload.object;
    const withoutTranscript: RecordingBody = {
      ...completed,
      payload: {
        ...completed.payload,
        object: { ...object, recording_files: object.recording_files?.filter((f) => f.file_type !== 'TRANSCRIPT'), recording_count: 4 },
      },
    };
    expect((await deliver(withoutTranscript)).status).toBe(200);
    const first = await settled(object.uuid);
    expect((await artifactsOf(first.id)).map((a) => a.kind)).not.toContain('transcript');

    const lateToken = fakeDownloadToken();
    host.acceptToken(lateToken);
    const served = host.addFile({ path: media.transcript.path, contentType: 'text/vtt' });
    const late = transcriptCompletedEvent({
      uuid: object.uuid,
      meetingId: object.id,
      startTime: object.start_time,
      durationMinutes: object.duration,
      downloadToken: lateToken,
      files: [{ fileType: 'TRANSCRIPT', fileExtension: 'VTT', recordingType: 'audio_transcript', downloadUrl: served.downloadUrl, size: served.size }],
    });
    expect((await deliver(late)).status).toBe(200);

    const after = await settled(object.uuid);
    expect(after.id).toBe(first.id);
    expect(await recordingsOf(object.uuid)).toHaveLength(1);
    const transcripts = (await artifactsOf(first.id)).filter((a) => a.kind === 'transcript');
    expect(transcripts).toHaveLength(1);
    expect(transcripts[0]).toMatchObject({ status: 'stored', sha256: sha256(await readFile(media.transcript.path)) });
    expect(await objectKeys(s3, first.storage_prefix)).toHaveLength(zoomFiles(completed).length);
  });

  it('does not download stored files again when a second genuine recording.completed differs only in download_url and download_token', async () => {
    const firstBody = simulateRecording(host, media);
    const { uuid } = firstBody.payload.object;
    expect((await deliver(firstBody)).status).toBe(200);
    const recording = await settled(uuid);
    const artifactsBefore = await artifactsOf(recording.id);
    const objectsBefore = await objectKeys(s3, recording.storage_prefix);

    // The same instance and files, with fresh links that would serve the same bytes.
    const freshToken = fakeDownloadToken();
    host.acceptToken(freshToken);
    const samples = sampleFiles();
    const relink = <T extends { download_url: string }>(file: T, i: number): T => ({
      ...file,
      download_url: host.addFile({ path: samples[i].path, contentType: 'application/octet-stream' }).downloadUrl,
    });
    const recordingFiles = firstBody.payload.object.recording_files ?? [];
    const secondBody: RecordingBody = {
      ...firstBody,
      event_ts: Date.now(),
      download_token: freshToken,
      payload: {
        ...firstBody.payload,
        object: {
          ...firstBody.payload.object,
          recording_files: recordingFiles.map(relink),
          participant_audio_files: firstBody.payload.object.participant_audio_files?.map((f, i) => relink(f, recordingFiles.length + i)),
        },
      },
    };
    const answer = await deliver(secondBody);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: 'duplicate' });

    await waitFor(
      async () => {
        const rows = await harness.query<{ status: string; delivery_count: number }>(
          'SELECT status, delivery_count FROM webhook_deliveries WHERE zoom_meeting_uuid = $1',
          [uuid],
        );
        return rows.length === 1 && rows[0].delivery_count === 2 && rows[0].status === 'processed';
      },
      'the second delivery processed',
    );
    await settled(uuid);

    for (const file of zoomFiles(secondBody)) expect(requestsFor(file.download_url)).toEqual({ download: 0, storage: 0 });
    expect((await recordingsOf(uuid)).map((r) => r.id)).toEqual([recording.id]);
    expect(await artifactsOf(recording.id)).toEqual(artifactsBefore);
    expect(await objectKeys(s3, recording.storage_prefix)).toEqual(objectsBefore);
  });

  it("matches each participant's audio file to the session's person by display name", async () => {
    const meetingId = randomMeetingId();
    const startTime = zoomTime(Date.now() - 30 * 60_000);
    await registerSession(harness, 'session-participants', { zoomMeetingId: String(meetingId), startsAt: startTime });
    const body = simulateRecording(host, media, { meetingId, startTime });
    expect((await deliver(body)).status).toBe(200);

    const recording = await settled(body.payload.object.uuid);
    expect(recording.session_id).toBe('session-participants');
    const byFileKey = new Map((await artifactsOf(recording.id)).map((a) => [a.zoom_file_key, a]));
    const people = (body.payload.object.participant_audio_files ?? []).map((f) => [f.file_name, byFileKey.get(f.id!)?.person_id]);
    expect(people).toEqual([
      ['Audio only - Ms Rivera', 'tutor-session-participants'],
      ['Audio only - Elisa L', 'elisa-session-participants'],
      ['Audio only - Tom K', 'tom-session-participants'],
    ]);
    // Only participant tracks name a person; the shared files belong to the whole session.
    const others = [...byFileKey.values()].filter((a) => a.kind !== 'participant_audio');
    expect(others.map((a) => a.person_id)).toEqual(others.map(() => null));
  });

  it('archives a webinar (type 5) recording like a meeting, matched to its session', async () => {
    const meetingId = randomMeetingId();
    const startTime = zoomTime(Date.now() - 90 * 60_000);
    await registerSession(harness, 'session-webinar', { zoomMeetingId: String(meetingId), startsAt: startTime });
    const body = simulateRecording(host, media, { meetingId, startTime, type: 5, topic: 'Exam skills webinar' });
    expect(body.payload.object.type).toBe(5);
    expect((await deliver(body)).status).toBe(200);

    const recording = await settled(body.payload.object.uuid);
    expect(recording.session_id).toBe('session-webinar');
    const artifacts = await artifactsOf(recording.id);
    expect(artifacts).toHaveLength(zoomFiles(body).length);
    expect(artifacts.every((a) => a.status === 'stored')).toBe(true);
    expect(artifacts.filter((a) => a.kind === 'participant_audio').map((a) => a.person_id).sort()).toEqual(
      ['elisa-session-webinar', 'tom-session-webinar', 'tutor-session-webinar'],
    );
  });
});
