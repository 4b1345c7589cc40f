import { Queue } from 'bullmq';
import { RecordingIngest } from '@lib/ingest';
import { JOB_CATALOGUE, redisConnection } from '@lib/jobs';
import { EventFileSpec, fakeDownloadToken, FakeZoomHost, randomMeetingId, randomMeetingUuid, recordingCompletedEvent, sendWebhook, zoomTime } from '@lib/zoom-simulator';
import { recordConsent, registerSession, zoomHostEnv } from './support/builders';
import { ServiceHarness, ZOOM_SECRET } from './support/harness';
import { refuseMeetingsOn, slowMeetingsOn } from './support/refused-meetings';
import { artifactsOfMeeting, ArtifactRow, settledArtifacts } from './support/rows';
import { waitFor } from './support/wait';

/**
 * Batched ingest (issue 15, "workers that add up"): the `process-delivery` jobs a worker holds are
 * ingested together, in one transaction of set-based statements. The outcome of each delivery is
 * what ingesting it alone gives (recording, session, people, opt-outs, expiries, audit), and a
 * delivery that cannot be ingested fails alone. The ingest queue is paused while a burst is
 * delivered, so the worker finds the whole burst waiting, as after the top of an hour.
 */
describe('deliveries ingested together', () => {
  const token = fakeDownloadToken();
  const host = new FakeZoomHost({ downloadToken: token });
  let harness: ServiceHarness;
  let ingestQueue: Queue;
  let transcript: { downloadUrl: string; size: number };
  let chat: { downloadUrl: string; size: number };
  let video: { downloadUrl: string; size: number };
  let audio: { downloadUrl: string; size: number };

  beforeAll(async () => {
    await host.start();
    harness = await ServiceHarness.start({ env: { ...zoomHostEnv(host), INGEST_BATCH_MAX: '50' } });
    ingestQueue = new Queue(JOB_CATALOGUE['process-delivery'].queue, { prefix: harness.queuePrefix, connection: redisConnection(harness.config.redisUrl) });
    // A way to make one recording's statement fail: the recordings table refuses chosen meetings.
    await refuseMeetingsOn(harness, 'recordings');
    // And a way to make two batches' recording upserts overlap row by row.
    await slowMeetingsOn(harness, 'recordings', 10);
    transcript = host.addFile({ content: Buffer.from('WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nMs Rivera: hello\n'), contentType: 'text/vtt' });
    chat = host.addFile({ content: Buffer.from('00:00:05\tElisa L:\thello\n'), contentType: 'text/plain' });
    video = host.addFile({ content: Buffer.alloc(2048, 1), contentType: 'video/mp4' });
    audio = host.addFile({ content: Buffer.alloc(1024, 2), contentType: 'audio/mp4' });
  });

  afterAll(async () => {
    await ingestQueue?.resume().catch(() => undefined);
    await ingestQueue?.close();
    await host.stop();
    await harness?.stop();
  });

  const textFiles = (): EventFileSpec[] => [
    { fileType: 'TRANSCRIPT', fileExtension: 'VTT', recordingType: 'audio_transcript', downloadUrl: transcript.downloadUrl, size: transcript.size },
    { fileType: 'CHAT', fileExtension: 'TXT', recordingType: 'chat_file', downloadUrl: chat.downloadUrl, size: chat.size },
  ];
  const mediaFiles = (): EventFileSpec[] => [
    { fileType: 'MP4', fileExtension: 'MP4', recordingType: 'shared_screen_with_speaker_view', downloadUrl: video.downloadUrl, size: video.size },
    { fileType: 'M4A', fileExtension: 'M4A', recordingType: 'audio_only', downloadUrl: audio.downloadUrl, size: audio.size },
  ];
  type Event = ReturnType<typeof recordingCompletedEvent>;

  const metric = async (name: string) =>
    Number(new RegExp(`^${name} (\\d+)`, 'm').exec(await (await fetch(`${harness.baseUrl}/metrics`)).text())?.[1] ?? 0);
  async function batchesSoFar(): Promise<{ count: number; sum: number }> {
    return { count: await metric('ingest_batch_deliveries_count'), sum: await metric('ingest_batch_deliveries_sum') };
  }

  const inboxOf = (uuids: string[]) =>
    harness.query<{ zoom_meeting_uuid: string; status: string; next_attempt_at: Date | null; gave_up_at: Date | null }>(
      'SELECT zoom_meeting_uuid, status, next_attempt_at, gave_up_at FROM webhook_deliveries WHERE zoom_meeting_uuid = ANY($1)',
      [uuids],
    );

  /** Delivers the burst while the ingest queue is paused, optionally changes the stored rows, then lets the worker at it. */
  async function deliverBurst(events: Event[], beforeResume?: () => Promise<unknown>): Promise<void> {
    await ingestQueue.pause();
    try {
      const answers = await Promise.all(events.map((event) => sendWebhook(`${harness.baseUrl}/webhooks/zoom`, ZOOM_SECRET, event)));
      for (const answer of answers) expect(answer.status).toBe(200);
      await beforeResume?.();
    } finally {
      await ingestQueue.resume();
    }
  }

  const processed = (uuids: string[], count = uuids.length) =>
    waitFor(async () => {
      const rows = await inboxOf(uuids);
      return rows.filter((r) => r.status === 'processed').length === count ? rows : null;
    }, `${count} deliveries processed`);

  const recordingOf = async (uuid: string) =>
    (await harness.query<{ id: string; session_id: string | null; policy_profile: string; download_token: string | null }>(
      'SELECT id, session_id, policy_profile, download_token FROM recordings WHERE zoom_meeting_uuid = $1',
      [uuid],
    ))[0];
  const audited = (action: string, subjectIds: string[]) =>
    harness.query<{ subject_id: string }>('SELECT subject_id FROM audit_log WHERE action = $1 AND subject_id = ANY($2) ORDER BY id', [action, subjectIds]);

  it('ingests a burst in fewer transactions than deliveries, each delivery with its session, people, opt-out, expiries and audit', async () => {
    const at = zoomTime(Date.now() - 20 * 60_000);
    // 8 of the 24 meetings are sessions of the `classes` profile (the strictest is `tutoring`) with participant audio; in one, Elisa opted out of video.
    const sessions = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const id = `batch-${i}-${randomMeetingId()}`;
        const meetingId = randomMeetingId();
        await registerSession(harness, id, { zoomMeetingId: String(meetingId), startsAt: at, policyProfile: 'classes' });
        return { id, meetingId };
      }),
    );
    const optedOut = sessions[3];
    expect((await recordConsent(harness, `elisa-${optedOut.id}`, { purpose: 'video_recording', decision: 'withdraw', decidedBy: `elisa-${optedOut.id}` })).status).toBe(201);
    const events = Array.from({ length: 24 }, (_, i) => {
      const session = sessions[i];
      return recordingCompletedEvent({
        uuid: randomMeetingUuid(),
        meetingId: session?.meetingId,
        startTime: at,
        downloadToken: token,
        files: session === optedOut ? [...mediaFiles(), ...textFiles()] : textFiles(),
        participantAudio: session ? [{ displayName: 'Elisa L', downloadUrl: audio.downloadUrl, size: audio.size }] : undefined,
      });
    });
    const uuids = events.map((e) => e.payload.object.uuid);
    const before = await batchesSoFar();

    await deliverBurst(events);
    await processed(uuids);

    const after = await batchesSoFar();
    expect(after.sum - before.sum).toBe(24);
    expect(after.count - before.count).toBeLessThan(24);

    const recordingIds: string[] = [];
    const artifactIds: string[] = [];
    for (const [i, event] of events.entries()) {
      const recording = await recordingOf(event.payload.object.uuid);
      recordingIds.push(recording.id);
      const session = sessions[i];
      expect(recording.session_id).toBe(session?.id ?? null);
      expect(recording.policy_profile).toBe(session ? 'classes' : 'tutoring');
      const artifacts = await settledArtifacts(harness, event.payload.object.uuid, session === optedOut ? 5 : session ? 3 : 2);
      artifactIds.push(...artifacts.map((a) => a.id));
      // Every artifact had its expiry, under its session's profile (the strictest while none claims it).
      for (const a of artifacts.filter((x) => x.status !== 'discarded')) {
        expect(a.retention_class).not.toBeNull();
        expect(a.expires_at).not.toBeNull();
        expect(a.policy_profile).toBe(session ? 'classes' : 'tutoring');
      }
      const byKind = (kind: string) => artifacts.filter((a: ArtifactRow) => a.kind === kind);
      if (session) expect(byKind('participant_audio').map((a) => a.person_id)).toEqual([`elisa-${session.id}`]);
      if (session === optedOut) {
        expect(byKind('video').map((a) => a.status)).toEqual(['discarded']);
        expect(byKind('audio').map((a) => a.status)).toEqual(['stored']);
      }
      expect(artifacts.filter((a) => a.kind !== 'video').every((a) => a.status === 'stored')).toBe(true);
    }
    // One announcement of each recording and of each artifact, none twice.
    expect((await audited('recording.received', recordingIds)).map((r) => r.subject_id).sort()).toEqual([...recordingIds].sort());
    expect((await audited('artifact.announced', artifactIds)).map((r) => r.subject_id).sort()).toEqual([...artifactIds].sort());
    expect((await audited('recording.opt_out_applied', recordingIds)).map((r) => r.subject_id)).toEqual([recordingIds[3]]);
  });

  it('ingests two deliveries of one meeting in the same batch as one recording, in queue order: the later one adds its file and its fresh token', async () => {
    const uuid = randomMeetingUuid();
    const at = zoomTime(Date.now() - 30 * 60_000);
    const [vtt, txt] = textFiles();
    const first = recordingCompletedEvent({ uuid, startTime: at, downloadToken: token, files: [{ ...vtt, id: 'vtt-file' }] });
    const fresh = fakeDownloadToken();
    const second = recordingCompletedEvent({ uuid, startTime: at, downloadToken: fresh, files: [{ ...vtt, id: 'vtt-file' }, { ...txt, id: 'chat-file' }] });
    // Distinct event times: two deliveries, not a repeat of one.
    second.event_ts = first.event_ts + 1000;
    const other = recordingCompletedEvent({ startTime: at, downloadToken: fresh, files: textFiles() });
    const uuids = [uuid, other.payload.object.uuid];
    // Zoom now accepts only the fresh token: the files are stored only if the recording took it.
    host.setDownloadToken(fresh);
    // The batch is handed to the ingest service itself, so that both deliveries are certainly in it;
    // the queued jobs then find their rows processed and do nothing.
    await deliverBurst([first, other, second], async () => {
      const rows = await harness.query<{ id: string; generation: number }>(
        'SELECT id, generation FROM webhook_deliveries WHERE zoom_meeting_uuid = ANY($1) ORDER BY received_at, id',
        [uuids],
      );
      expect(rows).toHaveLength(3);
      const outcomes = await harness.app!.get(RecordingIngest, { strict: false }).processDeliveries(rows.map((r) => ({ deliveryId: r.id, generation: r.generation })));
      expect(outcomes).toEqual([null, null, null]);
    });
    await processed(uuids, 3);

    const recordings = await harness.query<{ id: string }>('SELECT id FROM recordings WHERE zoom_meeting_uuid = $1', [uuid]);
    expect(recordings).toHaveLength(1);
    const artifacts = await settledArtifacts(harness, uuid, 2);
    expect(artifacts.map((a) => [a.kind, a.zoom_file_key, a.status]).sort()).toEqual([
      ['chat', 'chat-file', 'stored'],
      ['transcript', 'vtt-file', 'stored'],
    ]);
    expect((await audited('recording.received', [recordings[0].id])).length).toBe(1);
    await settledArtifacts(harness, other.payload.object.uuid, 2);
    host.setDownloadToken(token);
  });

  it('ingests two batches that share meetings, listed in opposite orders, at the same time, without a deadlock (rows are locked in one order)', async () => {
    const at = zoomTime(Date.now() - 35 * 60_000);
    const [vtt, txt] = textFiles();
    const uuids = Array.from({ length: 30 }, () => randomMeetingUuid());
    // Two deliveries of each meeting (distinct dedupe keys: the second lists one more file).
    const transcriptOnly = uuids.map((uuid) => recordingCompletedEvent({ uuid, startTime: at, downloadToken: token, files: [{ ...vtt, id: 'vtt-file' }] }));
    const withChat = uuids.map((uuid) =>
      recordingCompletedEvent({ uuid, startTime: at, downloadToken: token, files: [{ ...vtt, id: 'vtt-file' }, { ...txt, id: 'chat-file' }] }),
    );
    const fallbacks = await metric('ingest_batch_fallbacks_total');
    // Each recording row takes 10 ms to write, so the two upserts run side by side for ~300 ms.
    await harness.query('INSERT INTO slow_meetings (uuid) SELECT unnest($1::text[])', [uuids]);
    await deliverBurst([...transcriptOnly, ...withChat], async () => {
      const rows = await harness.query<{ id: string; generation: number; zoom_meeting_uuid: string; files: number }>(
        `SELECT id, generation, zoom_meeting_uuid, jsonb_array_length(body->'payload'->'object'->'recording_files') AS files
         FROM webhook_deliveries WHERE zoom_meeting_uuid = ANY($1) ORDER BY zoom_meeting_uuid`,
        [uuids],
      );
      const jobs = (files: number) => rows.filter((r) => r.files === files).map((r) => ({ deliveryId: r.id, generation: r.generation }));
      const ingest = harness.app!.get(RecordingIngest, { strict: false });
      // One batch lists the meetings in ascending order, the other in descending order, and both run at once.
      const outcomes = await Promise.all([ingest.processDeliveries(jobs(1)), ingest.processDeliveries(jobs(2).reverse())]);
      expect(outcomes.flat()).toEqual(Array.from({ length: 60 }, () => null));
    });
    // Neither batch had to fall back to one delivery per transaction (a deadlock victim would have).
    expect(await metric('ingest_batch_fallbacks_total')).toBe(fallbacks);
    await processed(uuids, 60);
    for (const uuid of uuids) expect((await settledArtifacts(harness, uuid, 2)).map((a) => a.status)).toEqual(['stored', 'stored']);
  });

  it('fails only the delivery the database refuses, and stores the rest of its batch', async () => {
    const at = zoomTime(Date.now() - 40 * 60_000);
    const events = Array.from({ length: 10 }, () => recordingCompletedEvent({ startTime: at, downloadToken: token, files: textFiles() }));
    const uuids = events.map((e) => e.payload.object.uuid);
    const refused = uuids[4];
    await harness.query('INSERT INTO refused_meetings (uuid) VALUES ($1)', [refused]);
    const fallbacks = await metric('ingest_batch_fallbacks_total');
    try {
      // The ten in one batch for certain: handed to the ingest service itself while the queue waits.
      await deliverBurst(events, async () => {
        const rows = await harness.query<{ id: string; generation: number; zoom_meeting_uuid: string }>(
          'SELECT id, generation, zoom_meeting_uuid FROM webhook_deliveries WHERE zoom_meeting_uuid = ANY($1)',
          [uuids],
        );
        const outcomes = await harness.app!.get(RecordingIngest, { strict: false }).processDeliveries(rows.map((r) => ({ deliveryId: r.id, generation: r.generation })));
        expect(outcomes.map((o, i) => (o ? rows[i].zoom_meeting_uuid : null)).filter(Boolean)).toEqual([refused]);
      });
      await processed(uuids, 9);
      // Its job's attempts (each alone) run out; the row then waits for its re-drive, nothing of it lost.
      const [row] = await waitFor(async () => {
        const rows = await inboxOf([refused]);
        return rows[0]?.status === 'failed' ? rows : null;
      }, 'the refused delivery to fail');
      expect(row.next_attempt_at).not.toBeNull();
      expect(await recordingOf(refused)).toBeUndefined();
      // Its batch fell back to one delivery per transaction once; its retries, alone, made no other fall back.
      expect(await metric('ingest_batch_fallbacks_total')).toBe(fallbacks + 1);
      for (const uuid of uuids.filter((u) => u !== refused)) await settledArtifacts(harness, uuid, 2);
    } finally {
      await harness.query('DELETE FROM refused_meetings WHERE uuid = $1', [refused]);
    }
  });

  it('gives up at once on a stored body that no longer parses, alone, and ingests the rest of its batch', async () => {
    const at = zoomTime(Date.now() - 50 * 60_000);
    const events = Array.from({ length: 6 }, () => recordingCompletedEvent({ startTime: at, downloadToken: token, files: textFiles() }));
    const uuids = events.map((e) => e.payload.object.uuid);
    const broken = uuids[2];
    await deliverBurst(events, () =>
      harness.query(`UPDATE webhook_deliveries SET body = jsonb_set(body, '{payload,object,start_time}', '"not a time"') WHERE zoom_meeting_uuid = $1`, [broken]),
    );
    await processed(uuids, 5);
    const [row] = await waitFor(async () => {
      const rows = await inboxOf([broken]);
      return rows[0]?.status === 'failed' ? rows : null;
    }, 'the broken delivery to fail');
    // Permanent: no re-drive, given up at once.
    expect(row.next_attempt_at).toBeNull();
    expect(row.gave_up_at).not.toBeNull();
    expect(await recordingOf(broken)).toBeUndefined();
    for (const uuid of uuids.filter((u) => u !== broken)) expect((await artifactsOfMeeting(harness, uuid)).length).toBe(2);
  });
});
