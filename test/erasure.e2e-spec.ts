import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createS3Client } from '@lib/storage';
import { FakeZoomHost, generateSampleMedia, randomMeetingId, SampleMedia, zoomTime } from '@lib/zoom-simulator';
import { call } from './support/api-client';
import { deliverRecording, recordConsent, registerSession, sessionBody } from './support/builders';
import { ServiceHarness } from './support/harness';
import { ArtifactRow, artifactsOf } from './support/rows';

/**
 * Erasure on request (issue 3 item 7; POLICIES §4 "deletion on request"): what is the person's
 * alone is deleted through the one deletion path, their name and email are replaced in the
 * transcripts, chat logs and timelines kept for others, their consent evidence goes, and `people`
 * forgets their name. The ledger and the audit trail hold ids only, so they stay as they are.
 * What a hold covers is kept, and reported as held.
 */
describe('erasure on request', () => {
  const host = new FakeZoomHost();
  const S = 'e1';
  const elisa = `elisa-${S}`;
  const tom = `tom-${S}`;
  let dir: string;
  let media: SampleMedia;
  let harness: ServiceHarness;
  let s3: S3Client;
  let recordingId: string;
  let before: ArtifactRow[];
  let uploads: { image: string; video: string };
  let meetingId: number;
  let startTime: string;

  const objectText = async (key: string) => (await s3.send(new GetObjectCommand({ Bucket: 'recordings', Key: key }))).Body!.transformToString();
  const exists = (key: string) =>
    s3.send(new HeadObjectCommand({ Bucket: 'recordings', Key: key })).then(
      () => true,
      () => false,
    );
  const sha256 = (text: string) => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'erasure-'));
    [media] = await Promise.all([generateSampleMedia(join(dir, 'media'), { seconds: 10 }), host.start()]);
    harness = await ServiceHarness.start({ env: { ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(',') } });
    s3 = createS3Client(harness.config, harness.s3.endpoint);
    meetingId = randomMeetingId();
    startTime = zoomTime(Date.now() - 10 * 60_000);
    await registerSession(harness, S, { zoomMeetingId: String(meetingId), startsAt: startTime });
    recordingId = (await deliverRecording(harness, host, media, { meetingId, startTime })).id;
    before = await artifactsOf(harness, recordingId);

    // A parent's images consent (with evidence), a picture of Elisa and her verification video.
    expect((await recordConsent(harness, elisa, { purpose: 'images', decision: 'grant', decidedBy: `parent-${S}`, reason: 'science fair photo', evidence: 'form signed by Ana Lopez' })).status).toBe(201);
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=64x64', '-frames:v', '1', join(dir, 'p.png')]);
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-t', '1', '-c:v', 'libx264', join(dir, 'v.mp4')]);
    const up = (kind: string, file: string, type: string) =>
      call(harness, 'POST', `/v1/uploads?kind=${kind}&sessionId=${S}&learnerIds=${elisa}`, { roles: ['platform'], raw: readFileSync(join(dir, file)), contentType: type });
    const [image, video] = [await up('image', 'p.png', 'image/png'), await up('verification_video', 'v.mp4', 'video/mp4')];
    expect([image.status, video.status]).toEqual([201, 201]);
    uploads = { image: image.body.id, video: video.body.id };
  });

  afterAll(async () => {
    await host.stop();
    s3?.destroy();
    await harness?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const erase = (personId: string, roles = ['admin']) => call(harness, 'POST', `/v1/people/${personId}/erasure`, { roles, sub: 'admin-dpo' });

  it('refuses callers without a token (401) or the role (403), and unknown people (404)', async () => {
    expect((await call(harness, 'POST', `/v1/people/${elisa}/erasure`, { token: null })).status).toBe(401);
    expect((await erase(elisa, ['reviewer'])).status).toBe(403);
    expect((await erase(elisa, ['tutor'])).status).toBe(403);
    expect((await erase('nobody-known')).status).toBe(404);
    expect(await harness.query('SELECT id FROM erasure_requests')).toEqual([]);
  });

  it('erases a learner end to end and reports it with counts', async () => {
    const own = before.find((a) => a.kind === 'participant_audio' && a.person_id === elisa)!;
    const tomsTrack = before.find((a) => a.kind === 'participant_audio' && a.person_id === tom)!;
    expect(own.status).toBe('stored');
    const [evidence] = await harness.query<{ evidence_key: string }>('SELECT evidence_key FROM consent_decisions WHERE person_id = $1', [elisa]);
    expect(await exists(evidence.evidence_key)).toBe(true);
    const transcriptBefore = await objectText(before.find((a) => a.kind === 'transcript')!.storage_key);
    expect(transcriptBefore).toMatch(/^Elisa L: /m);

    const res = await call(harness, 'POST', `/v1/people/${elisa}/erasure`, { roles: ['platform'], sub: 'platform-service' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      personId: elisa,
      status: 'completed',
      counts: { deleted: 3, transcriptsRedacted: 1, chatsRedacted: 1, timelinesRedacted: 1, evidenceDeleted: 1, exportsRevoked: 0, analyticsRemoved: 0, held: 0 },
    });
    // Analytics and exports exist now: nothing left to explain.
    expect(res.body.notes).toEqual([]);

    // What was hers alone is deleted: rows kept with reason, objects gone.
    const after = await artifactsOf(harness, recordingId);
    const ownAfter = after.find((a) => a.id === own.id)!;
    expect(ownAfter).toMatchObject({ status: 'deleted', reason: `erasure: erasure request ${res.body.id}` });
    expect(await exists(own.storage_key)).toBe(false);
    const uploaded = await harness.query<{ id: string; status: string; storage_key: string }>('SELECT id, status, storage_key FROM artifacts WHERE id = ANY($1)', [
      [uploads.image, uploads.video],
    ]);
    expect(uploaded.map((u) => u.status)).toEqual(['deleted', 'deleted']);
    for (const u of uploaded) expect(await exists(u.storage_key)).toBe(false);
    // Tom's track, the session audio and the text files stay.
    expect(after.find((a) => a.id === tomsTrack.id)!.status).toBe('stored');
    for (const kind of ['audio', 'video', 'transcript', 'chat', 'timeline']) expect(after.find((a) => a.kind === kind)!.status).toBe('stored');

    // Her name is gone from the kept transcript (read back from the bucket), which still says what was said.
    const transcript = after.find((a) => a.kind === 'transcript')!;
    const text = await objectText(transcript.storage_key);
    expect(text).not.toMatch(/Elisa L/);
    expect(text).toMatch(/^\[PERSON\]: I wasn't sure about the second step\.$/m);
    expect(text).toMatch(/^Ms Rivera: /m);
    expect(text).toMatch(/^Tom K: /m);
    expect(text.split('\n')).toHaveLength(transcriptBefore.split('\n').length);
    // The artifact describes the new bytes.
    expect(transcript.sha256).toBe(sha256(text));
    expect(Number(transcript.size_bytes)).toBe(Buffer.byteLength(text));
    const chat = await objectText(after.find((a) => a.kind === 'chat')!.storage_key);
    expect(chat).not.toMatch(/Elisa L|elisa\.l@example\.com/);
    expect(chat).toContain('[PERSON]:\tcan you email me the worksheet? [EMAIL]');
    const timeline = JSON.parse(await objectText(after.find((a) => a.kind === 'timeline')!.storage_key));
    const users = timeline.timeline.flatMap((e: { users: Array<{ username: string }> }) => e.users.map((u) => u.username));
    expect(users).toContain('[PERSON]');
    expect(users).not.toContain('Elisa L');

    // Her consent evidence is deleted; the append-only ledger row stays, ids only.
    expect(await exists(evidence.evidence_key)).toBe(false);
    expect((await harness.query('SELECT 1 FROM consent_decisions WHERE person_id = $1', [elisa])).length).toBe(1);

    // The service forgets her name and email.
    const [person] = await harness.query<{ display_name: string; email: string | null; erased_at: Date | null }>(
      'SELECT display_name, email, erased_at FROM people WHERE id = $1',
      [elisa],
    );
    expect(person).toMatchObject({ display_name: '[erased]', email: null });
    expect(person.erased_at).not.toBeNull();
    const [request] = await harness.query<{ requested_by: string; completed_at: Date | null; counts: Record<string, number> }>(
      'SELECT requested_by, completed_at, counts FROM erasure_requests WHERE id = $1',
      [res.body.id],
    );
    expect(request).toMatchObject({ requested_by: 'platform-service', counts: res.body.counts });
    expect(request.completed_at).not.toBeNull();

    // Audited by id: each rewrite, each deletion, the erasure itself; no name anywhere in the trail.
    const redacted = await harness.query("SELECT subject_id FROM audit_log WHERE action = 'artifact.redacted'");
    expect(redacted).toHaveLength(3);
    expect(await harness.query("SELECT 1 FROM audit_log WHERE action = 'person.erased' AND subject_id = $1", [elisa])).toHaveLength(1);
    expect(await harness.query("SELECT 1 FROM audit_log WHERE action = 'artifact.deleted' AND subject_id = $1", [own.id])).toHaveLength(1);
    expect(await harness.query("SELECT 1 FROM audit_log WHERE details::text ~* 'elisa l|lopez|science'")).toEqual([]);
    expect((await call(harness, 'GET', '/v1/audit/verify')).body).toMatchObject({ ok: true });
  });

  it('keeps an erased person erased when their session is registered again', async () => {
    const body = sessionBody(S, { zoomMeetingId: String(meetingId), startsAt: startTime });
    expect((await call(harness, 'PUT', `/v1/sessions/${S}`, { roles: ['platform'], json: body })).status).toBe(200);
    const [person] = await harness.query<{ display_name: string; email: string | null }>('SELECT display_name, email FROM people WHERE id = $1', [elisa]);
    expect(person).toEqual({ display_name: '[erased]', email: null });
  });

  it('keeps what a hold covers and reports it as held', async () => {
    const hold = await call(harness, 'POST', '/v1/holds', { roles: ['safety'], json: { scope: 'person', targetId: tom, reason: 'safety investigation' } });
    expect(hold.status).toBe(201);
    const track = before.find((a) => a.kind === 'participant_audio' && a.person_id === tom)!;
    const transcript = (await artifactsOf(harness, recordingId)).find((a) => a.kind === 'transcript')!;

    const res = await erase(tom);
    expect(res.status).toBe(200);
    // His track, and the transcript, chat and timeline of the held session, are kept as they are.
    expect(res.body.counts).toMatchObject({ deleted: 0, held: 4, transcriptsRedacted: 0, chatsRedacted: 0, timelinesRedacted: 0 });
    const after = await artifactsOf(harness, recordingId);
    expect(after.find((a) => a.id === track.id)!.status).toBe('stored');
    expect(await exists(track.storage_key)).toBe(true);
    expect(after.find((a) => a.id === transcript.id)!.sha256).toBe(transcript.sha256);
    expect(await objectText(transcript.storage_key)).toMatch(/^Tom K: /m);
    // Once released, his track goes with the next sweep or request: erasure asked for it.
    const [row] = await harness.query<{ delete_requested_at: Date | null }>('SELECT delete_requested_at FROM artifacts WHERE id = $1', [track.id]);
    expect(row.delete_requested_at).not.toBeNull();
  });
});
