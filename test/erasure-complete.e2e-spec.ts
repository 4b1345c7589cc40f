import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createS3Client } from '@lib/storage';
import { FakeZoomHost, FileFaults, generateSampleMedia, randomMeetingId, SampleMedia, zoomTime } from '@lib/zoom-simulator';
import { call } from './support/api-client';
import { deliverRecording, registerSession, sendRecording } from './support/builders';
import { ServiceHarness } from './support/harness';
import { artifactsOf } from './support/rows';
import { waitFor } from './support/wait';

/**
 * Erasure is complete (issue 11 A.2, A.3, A.5): held files still downloading are kept, not
 * discarded; display names leave artifact rows; `other` text files, unmatched recordings, hold
 * notes and inbox bodies lose the person's name and email; text that arrives after the erasure,
 * and text a hold kept as it was, is redacted by the follow-up job; a rewrite never re-creates an
 * object a retention deletion removed.
 */
describe('erasure completeness', () => {
  const host = new FakeZoomHost();
  let dir: string;
  let media: SampleMedia;
  let harness: ServiceHarness;
  let s3: S3Client;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'erasure-complete-'));
    [media] = await Promise.all([generateSampleMedia(join(dir, 'media'), { seconds: 3 }), host.start()]);
    harness = await ServiceHarness.start({
      env: {
        ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(','),
        ERASURE_FOLLOW_UP_INTERVAL_MS: '300',
        RETENTION_SWEEP_INTERVAL_MS: '300',
        ARCHIVE_DOWNLOAD_IDLE_TIMEOUT_MS: '1500',
      },
    });
    s3 = createS3Client(harness.config, harness.s3.endpoint);
  });

  afterAll(async () => {
    await host.stop();
    s3?.destroy();
    await harness?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const text = async (key: string) => (await s3.send(new GetObjectCommand({ Bucket: 'recordings', Key: key }))).Body!.transformToString();
  const exists = (key: string) => s3.send(new HeadObjectCommand({ Bucket: 'recordings', Key: key })).then(() => true, () => false);
  const erase = (personId: string) => call(harness, 'POST', `/v1/people/${personId}/erasure`, { roles: ['admin'], sub: 'admin-dpo' });
  async function session(id: string) {
    const meetingId = randomMeetingId();
    const startTime = zoomTime(Date.now() - 10 * 60_000);
    await registerSession(harness, id, { zoomMeetingId: String(meetingId), startsAt: startTime });
    return { meetingId, startTime, elisa: `elisa-${id}` };
  }

  // First: every session here has the same roster names, and an open erasure's follow-up looks for its name in
  // hold notes, inbox bodies and unmatched recordings everywhere.
  it('clears display names, other text files, unmatched recordings, hold and review notes and inbox bodies', async () => {
    const s = await session('c2');
    const { id } = await deliverRecording(harness, host, media, { meetingId: s.meetingId, startTime: s.startTime });
    // A Zoom participant list (kind `other`), stored as the archive would.
    const video = (await artifactsOf(harness, id)).find((a) => a.kind === 'video')!;
    const csvKey = `${video.storage_key.replace(/\/[^/]+$/, '')}/participants.csv`;
    const csv = 'Name,Email\nMs Rivera,ms.rivera@tutoring.example\nElisa L,elisa.l@example.com\nTom K,\n';
    await s3.send(new PutObjectCommand({ Bucket: 'recordings', Key: csvKey, Body: Buffer.from(csv) }));
    const [other] = await harness.query<{ id: string }>(
      `INSERT INTO artifacts (recording_id, kind, storage_key, status, size_bytes, content_type) VALUES ($1, 'other', $2, 'stored', $3, 'text/csv') RETURNING id`,
      [id, csvKey, csv.length],
    );
    // A recording never matched to a session (another meeting), where she spoke too.
    const unmatched = await deliverRecording(harness, host, media, { meetingId: randomMeetingId() });
    // Holds whose free text names her: one released, one active elsewhere.
    const note = { scope: 'session', targetId: 'c2', reason: 'complaint by Elisa L', note: 'Elisa L (elisa.l@example.com) reported the tutor' };
    const released = await call(harness, 'POST', '/v1/holds', { roles: ['safety'], json: note });
    expect((await call(harness, 'DELETE', `/v1/holds/${released.body.id}`, { roles: ['safety'] })).status).toBe(200);
    await session('c2-elsewhere');
    const active = await call(harness, 'POST', '/v1/holds', { roles: ['safety'], json: { scope: 'person', targetId: 'tutor-c2-elsewhere', reason: 'see the report about elisa l' } });
    expect(active.status).toBe(201);
    // A review whose note names her (issue 12): redacted like a hold note.
    const reviewed = await call(harness, 'POST', `/v1/recordings/${id}/reviews`, { roles: ['reviewer'], json: { outcome: 'coach', note: 'Elisa L (elisa.l@example.com) was talked over' } });
    expect(reviewed.status).toBe(201);
    const inbox = () => harness.query("SELECT id FROM webhook_deliveries WHERE body::text ~* 'elisa l|elisa\\.l@example\\.com'");
    // Processed deliveries keep no body at all (docs/ingest.md); one still awaiting its re-drive does.
    expect(await inbox()).toEqual([]);
    const waiting = { event: 'recording.completed', payload: { object: { uuid: 'waiting-c2', host_email: 'elisa.l@example.com', topic: 'Elisa L maths' } } };
    await harness.query(
      `INSERT INTO webhook_deliveries (dedupe_key, event, zoom_meeting_uuid, body, status, received_at, last_received_at, next_attempt_at)
       VALUES ('waiting-c2', 'recording.completed', 'waiting-c2', $1, 'failed', now(), now(), now() + interval '1 hour')`,
      [JSON.stringify(waiting)],
    );
    expect((await inbox()).length).toBe(1);

    const res = await erase(s.elisa);
    expect(res.status).toBe(200);

    expect(await harness.query("SELECT id FROM artifacts WHERE participant_label ~* 'elisa'")).toEqual([]);
    const csvAfter = await text(csvKey);
    expect(csvAfter).toBe('Name,Email\nMs Rivera,ms.rivera@tutoring.example\n[PERSON],[EMAIL]\nTom K,\n');
    const [otherRow] = await harness.query<{ size_bytes: string }>('SELECT size_bytes FROM artifacts WHERE id = $1', [other.id]);
    expect(Number(otherRow.size_bytes)).toBe(Buffer.byteLength(csvAfter));
    const unmatchedTranscript = (await artifactsOf(harness, unmatched.id)).find((a) => a.kind === 'transcript')!;
    const unmatchedText = await text(unmatchedTranscript.storage_key);
    expect(unmatchedText).not.toMatch(/Elisa L/);
    expect(unmatchedText).toMatch(/^Ms Rivera: /m);
    const holds = await harness.query<{ reason: string; note: string | null }>('SELECT reason, note FROM holds WHERE id = ANY($1) ORDER BY placed_at', [
      [released.body.id, active.body.id],
    ]);
    expect(holds).toEqual([
      { reason: 'complaint by [PERSON]', note: '[PERSON] ([EMAIL]) reported the tutor' },
      { reason: 'see the report about [PERSON]', note: null },
    ]);
    expect(await inbox()).toEqual([]);
    const [review] = await harness.query<{ note: string }>('SELECT note FROM reviews WHERE id = $1', [reviewed.body.id]);
    expect(review.note).toBe('[PERSON] ([EMAIL]) was talked over');
  });

  it('keeps a held track that is still downloading, and finishes the erasure once the hold is released', async () => {
    const s = await session('c1');
    const stall: FileFaults = { stallAfterBytes: 0, stallTimes: Infinity };
    const { id } = await sendRecording(harness, host, media, { meetingId: s.meetingId, startTime: s.startTime, faults: { participantAudio: stall } });
    // Everything but the held-up tracks settles.
    await waitFor(async () => (await artifactsOf(harness, id)).every((a) => a.kind === 'participant_audio' || a.status === 'stored'), 'text stored', 30_000);
    const track = (await artifactsOf(harness, id)).find((a) => a.kind === 'participant_audio' && a.person_id === s.elisa)!;
    expect(track.status).toBe('pending');
    const hold = await call(harness, 'POST', '/v1/holds', { roles: ['safety'], json: { scope: 'session', targetId: 'c1', reason: 'investigation' } });
    expect(hold.status).toBe(201);

    const res = await erase(s.elisa);
    expect(res.status).toBe(200);
    // A hold covers a file still being archived: it is not discarded.
    expect((await artifactsOf(harness, id)).find((a) => a.id === track.id)!.status).toBe('pending');
    expect(res.body.counts.deleted).toBe(0);
    expect(res.body.counts.held).toBeGreaterThanOrEqual(4);
    const transcript = (await artifactsOf(harness, id)).find((a) => a.kind === 'transcript')!;
    expect(await text(transcript.storage_key)).toMatch(/^Elisa L: /m);

    stall.stallTimes = 0;
    await waitFor(async () => (await artifactsOf(harness, id)).find((a) => a.id === track.id && a.status === 'stored'), 'held track archived', 30_000);
    expect((await call(harness, 'DELETE', `/v1/holds/${hold.body.id}`, { roles: ['safety'] })).status).toBe(200);
    // Released: her track is deleted under the erasure's request, and the kept text is redacted.
    const deleted = await waitFor(async () => (await artifactsOf(harness, id)).find((a) => a.id === track.id && a.status === 'deleted'), 'track deleted', 15_000);
    expect(deleted.reason).toBe(`erasure: erasure request ${res.body.id}`);
    expect(await exists(track.storage_key)).toBe(false);
    // The rewrite is audited in the transaction that holds the row: once the entry is there, so are the bytes.
    const redactions = () => harness.query("SELECT 1 FROM audit_log WHERE action = 'artifact.redacted' AND subject_id = $1", [transcript.id]);
    await waitFor(async () => (await redactions()).length > 0, 'transcript redacted after the release', 15_000);
    expect(await redactions()).toHaveLength(1);
    expect(await text(transcript.storage_key)).not.toMatch(/Elisa L/);
    expect(await text(transcript.storage_key)).toMatch(/^\[PERSON\]: /m);
  });

  it('redacts a transcript that arrives after the erasure', async () => {
    const s = await session('c3');
    await deliverRecording(harness, host, { video: media.video, seconds: media.seconds }, { meetingId: s.meetingId, startTime: s.startTime });
    expect((await erase(s.elisa)).status).toBe(200);

    // Zoom's transcript of the same session comes later, in a delivery of its own.
    const late = await deliverRecording(harness, host, { transcript: media.transcript, seconds: media.seconds }, { meetingId: s.meetingId, startTime: s.startTime });
    const transcript = (await artifactsOf(harness, late.id)).find((a) => a.kind === 'transcript')!;
    expect(transcript.status).toBe('stored');
    await waitFor(async () => !/Elisa L/.test(await text(transcript.storage_key)), 'late transcript redacted', 15_000);
    expect(await text(transcript.storage_key)).toMatch(/^\[PERSON\]: /m);
  });

  it('never rewrites text a retention deletion removed meanwhile', async () => {
    const s = await session('c4');
    const { id } = await deliverRecording(harness, host, media, { meetingId: s.meetingId, startTime: s.startTime });
    const transcript = (await artifactsOf(harness, id)).find((a) => a.kind === 'transcript')!;
    // A retention deletion of the transcript holds its row lock, as ArtifactDeletion does.
    const deletion = new Client({ connectionString: harness.databaseUrl });
    await deletion.connect();
    try {
      await deletion.query('BEGIN');
      await deletion.query('SELECT id FROM artifacts WHERE id = $1 FOR UPDATE', [transcript.id]);
      const [{ pid }] = (await deletion.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
      const erasure = erase(s.elisa);
      // The erasure reaches the transcript and waits for the deletion's row lock.
      await waitFor(
        async () => (await harness.query('SELECT 1 FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [pid])).length > 0,
        'erasure waiting on the transcript row',
        15_000,
      );
      await s3.send(new DeleteObjectCommand({ Bucket: 'recordings', Key: transcript.storage_key }));
      await deletion.query("UPDATE artifacts SET status = 'deleted', deleted_at = now(), reason = 'expired' WHERE id = $1", [transcript.id]);
      await deletion.query('COMMIT');
      expect((await erasure).status).toBe(200);
    } finally {
      await deletion.end();
    }
    expect(await exists(transcript.storage_key)).toBe(false);
    const [row] = await harness.query<{ sha256: string; status: string }>('SELECT sha256, status FROM artifacts WHERE id = $1', [transcript.id]);
    expect(row).toEqual({ sha256: transcript.sha256, status: 'deleted' });
    expect(await harness.query("SELECT 1 FROM audit_log WHERE action = 'artifact.redacted' AND subject_id = $1", [transcript.id])).toEqual([]);
  });
});
