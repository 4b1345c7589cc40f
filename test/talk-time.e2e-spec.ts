import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { copyFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeZoomHost, fakeDownloadToken, generateSampleMedia, randomMeetingId, RecordingMedia, transcriptCompletedEvent, zoomTime } from '@lib/zoom-simulator';
import { call } from './support/api-client';
import { s3Of } from './support/bucket';
import { deliverRecording, registerSession, sendDelivery } from './support/builders';
import { ServiceHarness } from './support/harness';
import { waitFor } from './support/wait';

const FIXTURES = join(__dirname, 'fixtures', 'analysis');

/**
 * Talk time and safety signals end to end (issue 13): recordings delivered by the fake Zoom host,
 * archived, analysed by the worker, read through the API with each role's token. The fixtures'
 * truth is worked out by hand in test/fixtures/analysis/README.md.
 */
describe('talk-time analysis and safety signals', () => {
  const host = new FakeZoomHost();
  let harness: ServiceHarness;
  let dir: string;

  const file = async (name: string) => {
    const path = join(dir, `${Math.random().toString(36).slice(2)}-${name}`);
    await copyFile(join(FIXTURES, name), path);
    return { path, size: (await stat(path)).size };
  };
  const as = (sub: string, ...roles: string[]) => ({ sub, roles });

  /** Registers session `s` (tutor-s, elisa-s, tom-s, parent-s) and delivers a one-minute recording of it. */
  async function deliverSession(s: string, media: Omit<RecordingMedia, 'seconds'>): Promise<string> {
    const meetingId = randomMeetingId();
    const startTime = zoomTime(Date.now() - 5 * 60_000);
    await registerSession(harness, s, { zoomMeetingId: String(meetingId), startsAt: startTime });
    return (await deliverRecording(harness, host, { seconds: 60, ...media }, { meetingId, startTime })).id;
  }

  const reportOf = (recordingId: string) =>
    waitFor(
      async () => (await harness.query<{ source: string; analysed_at: Date }>('SELECT source, analysed_at FROM talk_time_reports WHERE recording_id = $1', [recordingId]))[0],
      `talk time of ${recordingId}`,
      30_000,
    );
  /** Every stored source analysed and nothing owed since (a trigger notes each file stored or gone). */
  const analysed = (recordingId: string) =>
    waitFor(async () => {
      const rows = await harness.query<{ outcome: string }>('SELECT outcome FROM analysed_sources WHERE recording_id = $1', [recordingId]);
      const owed = await harness.query('SELECT 1 FROM analysis_owed WHERE recording_id = $1', [recordingId]);
      return rows.length > 0 && owed.length === 0 ? rows : null;
    }, `analysis of ${recordingId}`);

  /** The report once every stored source has been through analysis (files arrive one by one, each analysed). */
  const settledReport = async (recordingId: string) => {
    await analysed(recordingId);
    return reportOf(recordingId);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rec-talk-time-'));
    await host.start();
    harness = await ServiceHarness.start({ env: { ...hostEnv(host), TALK_TIME_ANALYSIS: 'true', PLATFORM_DOMAINS: 'localhost' } });
  });
  afterAll(async () => {
    await harness?.stop();
    await host.stop();
    await rm(dir, { recursive: true, force: true });
  });

  describe('a session with a transcript and a chat log', () => {
    const S = 'tt1';
    let recordingId: string;
    beforeAll(async () => {
      recordingId = await deliverSession(S, { transcript: await file('session.vtt'), chat: await file('chat.txt'), timeline: await file('timeline.json') });
      await settledReport(recordingId);
    });

    it('computes talk time from the transcript, the best source it has, as the definitions say', async () => {
      const res = await call(harness, 'GET', `/v1/recordings/${recordingId}/talk-time`, as(`tutor-${S}`, 'tutor'));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ source: 'transcript', sessionSeconds: 40, tutorSeconds: 29, learnerSeconds: 6, parentSeconds: 0, unattributedSeconds: 0 });
      expect(res.body.tutorShare).toBeCloseTo(29 / 35, 3);
      const seconds = Object.fromEntries(res.body.speakers.map((s: { personId: string; seconds: number }) => [s.personId, s.seconds]));
      expect(seconds).toEqual({ [`tutor-${S}`]: 29, [`elisa-${S}`]: 4, [`tom-${S}`]: 2, [`parent-${S}`]: 0 });
      expect(res.body.speakers.find((s: { personId: string }) => s.personId === `elisa-${S}`).displayName).toBe('Elisa L');
      expect(res.body.tutor).toMatchObject({ questions: 2 });
      expect(res.body.retention).toMatchObject({ class: 'text' });
    });

    it('lets a reviewer read it, refuses another tutor and a family member', async () => {
      expect((await call(harness, 'GET', `/v1/recordings/${recordingId}/talk-time`, as('reviewer-1', 'reviewer'))).status).toBe(200);
      expect((await call(harness, 'GET', `/v1/recordings/${recordingId}/talk-time`, as('tutor-other', 'tutor'))).status).toBe(403);
      expect((await call(harness, 'GET', `/v1/recordings/${recordingId}/talk-time`, as(`parent-${S}`, 'family'))).status).toBe(403);
    });

    it('gives the tutor their feedback and refuses it to tutor B', async () => {
      const own = await call(harness, 'GET', `/v1/tutors/tutor-${S}/feedback`, as(`tutor-${S}`, 'tutor'));
      expect(own.status).toBe(200);
      expect(own.body.sessions.map((s: { recordingId: string }) => s.recordingId)).toEqual([recordingId]);
      expect(own.body.trends.find((t: { metric: string }) => t.metric === 'tutorShare').tutorMean).toBeCloseTo(29 / 35, 3);
      expect(own.body.programs).toEqual(['gcse-maths']);
      const other = await call(harness, 'GET', `/v1/tutors/tutor-${S}/feedback`, as('tutor-b', 'tutor'));
      expect(other.status).toBe(403);
      expect(other.body.message).toMatch(/not allowed/);
    });

    it('lets the tutor read the transcript and chat log of their session, each read audited', async () => {
      const transcript = await call(harness, 'GET', `/v1/recordings/${recordingId}/transcript`, as(`tutor-${S}`, 'tutor'));
      expect(transcript.status).toBe(200);
      expect(transcript.body).toContain('WEBVTT');
      const chat = await call(harness, 'GET', `/v1/recordings/${recordingId}/chat`, as(`tutor-${S}`, 'tutor'));
      expect(chat.status).toBe(200);
      expect(chat.body).toContain('From Ms Rivera');
      expect((await call(harness, 'GET', `/v1/recordings/${recordingId}/chat`, as('tutor-b', 'tutor'))).status).toBe(403);
      const audit = await call(harness, 'GET', `/v1/audit?subjectId=${recordingId}`);
      const reads = audit.body.items.filter((i: { actorId: string }) => i.actorId === `tutor-${S}`).map((i: { action: string }) => i.action);
      expect(reads).toEqual(expect.arrayContaining(['transcript.read', 'chat.read', 'talk_time.read']));
    });

    it('flags what the tutor shared: the spoken phone number and the off-platform invitation are breaches, the address to the parent is covered', async () => {
      const res = await call(harness, 'GET', `/v1/recordings/${recordingId}/safety-flags`, as('safety-1', 'safety'));
      expect(res.status).toBe(200);
      const flags = res.body.items.map((f: Record<string, unknown>) => [f.source, f.kind, f.senderRole, f.recipientRole, f.breach, f.coveredBy]);
      expect(flags).toEqual(
        expect.arrayContaining([
          ['transcript', 'phone', 'tutor', 'everyone', true, null],
          ['chat', 'off_platform', 'tutor', 'learner', true, null],
          ['chat', 'address', 'tutor', 'parent', false, 'parent'],
        ]),
      );
      // The platform's own link is no contact detail.
      expect(res.body.items.filter((f: { source: string; line: number }) => f.source === 'chat' && f.line === 1)).toEqual([]);
      const phone = res.body.items.find((f: { kind: string }) => f.kind === 'phone');
      expect(phone).toMatchObject({ line: expect.any(Number), offsetSeconds: 25 });
      expect(JSON.stringify(res.body)).not.toContain('07700');
      expect((await call(harness, 'GET', `/v1/recordings/${recordingId}/safety-flags`, as(`tutor-${S}`, 'tutor'))).status).toBe(403);
    });

    it('places a safety hold on the recording for a breach of a configured kind, once', async () => {
      const holds = await harness.query<{ id: string; released_at: Date | null }>(
        `SELECT id, released_at FROM holds WHERE scope = 'recording' AND target_id = $1 AND reason = 'safety signal'`,
        [recordingId],
      );
      expect(holds).toHaveLength(1);
      const flags = await harness.query<{ kind: string; hold_id: string | null }>('SELECT kind, hold_id FROM safety_flags WHERE recording_id = $1 AND breach', [recordingId]);
      expect(flags.find((f) => f.kind === 'phone')?.hold_id).toBe(holds[0].id);
    });

    it('puts the flagged recording first in the review queue', async () => {
      await harness.query(`INSERT INTO artifacts (recording_id, kind, storage_key, status) VALUES ($1, 'stream', $2, 'stored')`, [recordingId, `test-stream-${recordingId}`]);
      const queue = await call(harness, 'GET', '/v1/reviews/queue', as('reviewer-1', 'reviewer'));
      expect(queue.status).toBe(200);
      expect(queue.body.items[0]).toMatchObject({ recordingId, flagged: true });
      expect(queue.body.items[0].reasons).toContain('flagged');
    });

    it('covers the tutor’s details with a recorded exception for that family, after analysing again', async () => {
      const granted = await call(harness, 'POST', '/v1/safety/exceptions', {
        ...as('safety-1', 'safety'),
        json: { tutorId: `tutor-${S}`, familyPersonIds: [`elisa-${S}`, `parent-${S}`], kinds: ['off_platform'], reason: 'agreed with the family for the trip' },
      });
      expect(granted.status).toBe(201);
      await waitFor(async () => {
        const rows = await harness.query<{ covered_by: string | null; exception_id: string | null }>(
          `SELECT covered_by, exception_id FROM safety_flags WHERE recording_id = $1 AND kind = 'off_platform'`,
          [recordingId],
        );
        return rows[0]?.exception_id === granted.body.id ? rows : null;
      }, 'the exception applied');
      const phone = await harness.query<{ breach: boolean }>(`SELECT breach FROM safety_flags WHERE recording_id = $1 AND kind = 'phone'`, [recordingId]);
      expect(phone[0].breach).toBe(true);
      const audit = await harness.query<{ details: Record<string, unknown> }>(`SELECT details FROM audit_log WHERE action = 'safety_exception.granted'`);
      expect(JSON.stringify(audit)).not.toContain('trip');
    });

    it('refuses an exception without a family or with an unknown kind (400), and a revocation of an unknown one (404)', async () => {
      const empty = await call(harness, 'POST', '/v1/safety/exceptions', { ...as('safety-1', 'safety'), json: { tutorId: 't', familyPersonIds: [], reason: 'x' } });
      expect(empty.status).toBe(400);
      const kind = await call(harness, 'POST', '/v1/safety/exceptions', { ...as('safety-1', 'safety'), json: { tutorId: 't', familyPersonIds: ['f'], kinds: ['pigeon'], reason: 'x' } });
      expect(kind.status).toBe(400);
      expect((await call(harness, 'DELETE', '/v1/safety/exceptions/00000000-0000-4000-8000-000000000000', as('safety-1', 'safety'))).status).toBe(404);
      expect((await call(harness, 'POST', '/v1/safety/exceptions', { ...as(`tutor-${S}`, 'tutor'), json: { tutorId: `tutor-${S}`, familyPersonIds: ['f'], reason: 'x' } })).status).toBe(403);
    });
  });

  it('prefers per-participant audio: each person’s own track, within max(2 s, 5%) of the script', async () => {
    const media = await generateSampleMedia(join(dir, 'sample'), { seconds: 40, participants: ['Ms Rivera', 'Elisa L', 'Tom K'] });
    const recordingId = await deliverSession('tt6', { participantAudio: media.participantAudio, transcript: media.transcript });
    const report = await settledReport(recordingId);
    expect(report.source).toBe('participant_audio');
    const res = await call(harness, 'GET', `/v1/recordings/${recordingId}/talk-time`, as('reviewer-1', 'reviewer'));
    const truth = (name: string) => media.turns.filter((t) => t.displayName === name).reduce((sum, t) => sum + (t.end - t.start), 0);
    const near = (found: number, expected: number) => expect(Math.abs(found - expected)).toBeLessThanOrEqual(Math.max(2, 0.05 * expected));
    near(res.body.tutorSeconds, truth('Ms Rivera'));
    near(res.body.learnerSeconds, truth('Elisa L') + truth('Tom K'));
    const elisa = res.body.speakers.find((p: { personId: string }) => p.personId === 'elisa-tt6');
    near(elisa.seconds, truth('Elisa L'));
    expect(res.body.tutor.questions).toBeNull();
  });

  it('records a participant track ffmpeg cannot read, and falls back to the transcript', async () => {
    const junk = join(dir, 'junk.m4a');
    await writeFile(junk, Buffer.alloc(4096, 7));
    const track = { path: junk, size: 4096, displayName: 'Elisa L' };
    const recordingId = await deliverSession('tt7', { participantAudio: [track], transcript: await file('session.vtt') });
    expect((await settledReport(recordingId)).source).toBe('transcript');
    const [malformed] = await harness.query<{ reason: string }>(
      `SELECT s.reason FROM analysed_sources s JOIN artifacts a ON a.id = s.artifact_id WHERE s.recording_id = $1 AND a.kind = 'participant_audio'`,
      [recordingId],
    );
    expect(malformed.reason).toMatch(/^AudioUnreadable: the audio could not be read/);
    expect(malformed.reason).not.toContain('junk');
  });

  it('records a transcript whose object vanished from the bucket, and falls back to the timeline', async () => {
    const meetingId = randomMeetingId();
    const startTime = zoomTime(Date.now() - 5 * 60_000);
    await registerSession(harness, 'tt8', { zoomMeetingId: String(meetingId), startsAt: startTime });
    const transcript = await file('session.vtt');
    const delivered = await deliverRecording(harness, host, { seconds: 60, transcript, timeline: await file('timeline.json') }, { meetingId, startTime });
    expect((await settledReport(delivered.id)).source).toBe('transcript');
    const [row] = await harness.query<{ storage_key: string }>(`SELECT storage_key FROM artifacts WHERE recording_id = $1 AND kind = 'transcript'`, [delivered.id]);
    await s3Of(harness).send(new DeleteObjectCommand({ Bucket: 'recordings', Key: row.storage_key }));
    // A new roster queues the recording's analysis again.
    await registerSession(harness, 'tt8', { zoomMeetingId: String(meetingId), startsAt: startTime, program: 'sat-bootcamp' });
    await waitFor(async () => ((await reportOf(delivered.id)).source === 'timeline' ? true : null), 'talk time from the timeline');
    const [missing] = await harness.query<{ reason: string }>(
      `SELECT s.reason FROM analysed_sources s JOIN artifacts a ON a.id = s.artifact_id WHERE s.recording_id = $1 AND a.kind = 'transcript'`,
      [delivered.id],
    );
    expect(missing.reason).toMatch(/^ObjectMissing/);
  });

  it('records a transcript it cannot read with the line, and falls back to the timeline', async () => {
    const recordingId = await deliverSession('tt2', { transcript: await file('broken.vtt'), timeline: await file('timeline.json') });
    const report = await settledReport(recordingId);
    expect(report.source).toBe('timeline');
    const outcomes = await analysed(recordingId);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['malformed', 'used']);
    const [malformed] = await harness.query<{ reason: string }>(`SELECT reason FROM analysed_sources WHERE recording_id = $1 AND outcome = 'malformed'`, [recordingId]);
    expect(malformed.reason).toBe('TranscriptMalformed: transcript line 12: the cue timing is not "hh:mm:ss.mmm --> hh:mm:ss.mmm"');
    const res = await call(harness, 'GET', `/v1/recordings/${recordingId}/talk-time`, as('reviewer-1', 'reviewer'));
    expect(res.body).toMatchObject({ source: 'timeline', sessionSeconds: 60, tutorSeconds: 50, learnerSeconds: 10 });
  });

  it('analyses again when the transcript arrives later, and moves to the better source', async () => {
    const meetingId = randomMeetingId();
    const startTime = zoomTime(Date.now() - 5 * 60_000);
    await registerSession(harness, 'tt3', { zoomMeetingId: String(meetingId), startsAt: startTime });
    const delivered = await deliverRecording(harness, host, { seconds: 60, timeline: await file('timeline.json') }, { meetingId, startTime });
    expect((await settledReport(delivered.id)).source).toBe('timeline');

    const token = fakeDownloadToken();
    host.acceptToken(token);
    const transcript = await file('session.vtt');
    const served = host.addFile({ path: transcript.path, contentType: 'text/vtt' });
    const object = delivered.body.payload.object;
    await sendDelivery(
      harness,
      transcriptCompletedEvent({
        uuid: object.uuid,
        meetingId: object.id,
        startTime: object.start_time,
        durationMinutes: object.duration,
        downloadToken: token,
        files: [{ fileType: 'TRANSCRIPT', fileExtension: 'VTT', recordingType: 'audio_transcript', downloadUrl: served.downloadUrl, size: served.size }],
      }),
    );
    await waitFor(async () => ((await reportOf(delivered.id)).source === 'transcript' ? true : null), 'talk time from the late transcript');
  });

  it('forgets what a deleted transcript gave and computes again from what is left', async () => {
    const recordingId = await deliverSession('tt4', { transcript: await file('session.vtt'), timeline: await file('timeline.json') });
    expect((await settledReport(recordingId)).source).toBe('transcript');
    await harness.query(`UPDATE artifacts SET status = 'deleted', deleted_at = now() WHERE recording_id = $1 AND kind = 'transcript'`, [recordingId]);
    expect(await harness.query('SELECT 1 FROM talk_time_reports WHERE recording_id = $1', [recordingId])).toEqual([]);
    expect(await harness.query(`SELECT 1 FROM safety_flags WHERE recording_id = $1 AND source = 'transcript'`, [recordingId])).toEqual([]);
    await waitFor(async () => ((await reportOf(recordingId)).source === 'timeline' ? true : null), 'talk time from the timeline');
  });

  it('removes an erased learner’s figures and flags, and counts them in the erasure report', async () => {
    const S = 'tt5';
    const recordingId = await deliverSession(S, { transcript: await file('session.vtt'), chat: await file('chat.txt') });
    await settledReport(recordingId);
    const before = await harness.query(`SELECT 1 FROM safety_flags WHERE recording_id = $1 AND recipient_person_id = $2`, [recordingId, `elisa-${S}`]);
    expect(before.length).toBeGreaterThan(0);
    const erased = await call(harness, 'POST', `/v1/people/elisa-${S}/erasure`, as('admin-1', 'admin'));
    expect(erased.status).toBe(200);
    expect(erased.body.counts.talkTimeRemoved).toBe(1);
    expect(erased.body.counts.safetyRemoved).toBe(before.length);
    expect(erased.body.counts.analyticsRemoved).toBe(1 + before.length);
    expect(await harness.query('SELECT 1 FROM talk_time_speakers WHERE person_id = $1', [`elisa-${S}`])).toEqual([]);
    expect(await harness.query('SELECT 1 FROM safety_flags WHERE sender_person_id = $1 OR recipient_person_id = $1', [`elisa-${S}`])).toEqual([]);
  });
});

function hostEnv(host: FakeZoomHost): Record<string, string> {
  return { ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(',') };
}
