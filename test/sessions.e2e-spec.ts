import { randomUUID } from 'node:crypto';
import {
  FakeZoomHost,
  fakeDownloadToken,
  randomMeetingId,
  randomMeetingUuid,
  recordingCompletedEvent,
  sendWebhook,
  zoomTime,
} from '@lib/zoom-simulator';
import { call } from './support/api-client';
import { ServiceHarness, ZOOM_SECRET } from './support/harness';
import { waitFor } from './support/wait';

/**
 * The platform registers tutoring sessions (CONTRACT `PUT /v1/sessions/{id}`); recordings are
 * matched to them by Zoom meeting id and start time, recurring meetings included. A recording of
 * no registered session is still archived, under the strictest policy, and listed as unmatched
 * until its session is known.
 */

const DAY_MS = 24 * 3600_000;
const TRANSCRIPT = Buffer.from('WEBVTT\n\n1\n00:00:00.400 --> 00:00:02.000\nMs Rivera: Shall we start with fractions?\n');

function sessionBody(overrides: Record<string, unknown> = {}) {
  return {
    zoomMeetingId: '81234567890',
    startsAt: '2026-11-02T15:00:00Z',
    program: 'sat-bootcamp',
    policyProfile: 'tutoring',
    tutor: { personId: 'tutor-rivera', displayName: 'Ms Rivera', email: 'ms.rivera@tutoring.example' },
    learners: [{ personId: 'learner-elisa', displayName: 'Elisa L', minor: true }],
    parents: [{ personId: 'parent-lopez', displayName: 'Ana Lopez', children: ['learner-elisa'] }],
    ...overrides,
  };
}

describe('sessions and the recordings matched to them', () => {
  const host = new FakeZoomHost();
  let harness: ServiceHarness;

  beforeAll(async () => {
    await host.start();
    harness = await ServiceHarness.start({ env: { ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(',') } });
  });

  afterAll(async () => {
    await host.stop();
    await harness?.stop();
  });

  const putSession = (id: string, body: unknown, roles = ['platform']) =>
    call(harness, 'PUT', `/v1/sessions/${id}`, { roles, sub: 'platform-service', json: body });

  /** Delivers a small signed recording.completed (one transcript file) and waits for it to be archived. */
  async function deliverRecording(meetingId: number, startTime: string): Promise<{ id: string; uuid: string }> {
    const downloadToken = fakeDownloadToken();
    host.acceptToken(downloadToken);
    const served = host.addFile({ content: TRANSCRIPT, contentType: 'text/vtt' });
    const uuid = randomMeetingUuid();
    const body = recordingCompletedEvent({
      uuid,
      meetingId,
      startTime,
      durationMinutes: 45,
      downloadToken,
      files: [{ fileType: 'TRANSCRIPT', fileExtension: 'VTT', recordingType: 'audio_transcript', downloadUrl: served.downloadUrl, size: served.size }],
    });
    expect((await sendWebhook(`${harness.baseUrl}/webhooks/zoom`, ZOOM_SECRET, body)).status).toBe(200);
    const recording = await waitFor(
      async () =>
        (await harness.query<{ id: string; status: string }>('SELECT id, status FROM recordings WHERE zoom_meeting_uuid = $1', [uuid])).find(
          (r) => r.status === 'archived',
        ),
      `recording ${uuid} archived`,
    );
    return { id: recording.id, uuid };
  }

  const sessionRows = (id: string) => harness.query('SELECT id FROM sessions WHERE id = $1', [id]);

  describe('PUT /v1/sessions/:id validation', () => {
    const invalid: Array<[string, Record<string, unknown>, string]> = [
      ['a zoomMeetingId that is not a meeting number', { zoomMeetingId: 'zoom-81234' }, 'zoomMeetingId must be a Zoom meeting number'],
      ['a startsAt that is not an ISO-8601 time', { startsAt: 'next Tuesday at 3' }, 'startsAt must be a valid ISO 8601 date string'],
      ['an unknown policyProfile', { policyProfile: 'summer-camp' }, 'policyProfile must be one of the following values: tutoring, classes'],
      [
        'a parent naming a child who is not a learner of the session',
        { parents: [{ personId: 'parent-lopez', displayName: 'Ana Lopez', children: ['learner-someone-else'] }] },
        'parent parent-lopez names children who are not learners of the session',
      ],
    ];

    it.each(invalid)('refuses %s with 400 and a message naming the problem, registering nothing', async (_, overrides, message) => {
      const id = `invalid-${randomUUID()}`;
      const res = await putSession(id, sessionBody(overrides));
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(message);
      expect(await sessionRows(id)).toEqual([]);
    });

    it('refuses a caller without a bearer token with 401', async () => {
      const res = await call(harness, 'PUT', '/v1/sessions/session-no-token', { token: null, json: sessionBody() });
      expect(res.status).toBe(401);
      expect(await sessionRows('session-no-token')).toEqual([]);
    });

    it('refuses a caller with an invalid bearer token with 401', async () => {
      const res = await call(harness, 'PUT', '/v1/sessions/session-bad-token', { token: 'not.a.jwt', json: sessionBody() });
      expect(res.status).toBe(401);
      expect(await sessionRows('session-bad-token')).toEqual([]);
    });

    it('refuses a reviewer (only the platform registers sessions) with 403', async () => {
      const res = await putSession('session-by-reviewer', sessionBody(), ['reviewer']);
      expect(res.status).toBe(403);
      expect(await sessionRows('session-by-reviewer')).toEqual([]);
    });
  });

  it('answers 201 when a session is first registered and 200 when it is updated, replacing its people', async () => {
    const created = await putSession('session-create-update', sessionBody());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'session-create-update', created: true });

    const second = { personId: 'learner-tom', displayName: 'Tom K', minor: true };
    const updated = await putSession(
      'session-create-update',
      sessionBody({ program: 'gcse-maths', learners: [sessionBody().learners[0], second], parents: [] }),
    );
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: 'session-create-update', created: false });

    expect(await harness.query('SELECT program FROM sessions WHERE id = $1', ['session-create-update'])).toEqual([{ program: 'gcse-maths' }]);
    const participants = await harness.query<{ person_id: string; role: string }>(
      'SELECT person_id, role FROM session_participants WHERE session_id = $1 ORDER BY person_id',
      ['session-create-update'],
    );
    expect(participants).toEqual([
      { person_id: 'learner-elisa', role: 'learner' },
      { person_id: 'learner-tom', role: 'learner' },
      { person_id: 'tutor-rivera', role: 'tutor' },
    ]);
  });

  it('links a recording of a recurring meeting to the weekly session nearest its start', async () => {
    const meetingId = randomMeetingId();
    const secondStart = Date.now() - 2 * DAY_MS;
    const firstStart = secondStart - 7 * DAY_MS;
    for (const [id, at] of [['recurring-week-1', firstStart], ['recurring-week-2', secondStart]] as const) {
      const res = await putSession(id, sessionBody({ zoomMeetingId: String(meetingId), startsAt: new Date(at).toISOString() }));
      expect(res.status).toBe(201);
    }

    const recording = await deliverRecording(meetingId, zoomTime(secondStart + 4 * 60_000));
    const view = await call(harness, 'GET', `/v1/recordings/${recording.id}`, { roles: ['reviewer'] });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ id: recording.id, zoomMeetingUuid: recording.uuid, sessionId: 'recurring-week-2' });
  });

  it('archives a recording of no registered session under the strictest policy, lists it as unmatched, and links it once its session is registered', async () => {
    const meetingId = randomMeetingId();
    const start = Date.now() - 3 * 3600_000;
    const recording = await deliverRecording(meetingId, zoomTime(start + 2 * 60_000));

    const before = await call(harness, 'GET', `/v1/recordings/${recording.id}`, { roles: ['admin'] });
    expect(before.body).toMatchObject({ sessionId: null, status: 'archived', policyProfile: 'tutoring' });
    expect(before.body.artifacts.map((a: { kind: string; status: string }) => [a.kind, a.status])).toEqual([['transcript', 'stored']]);
    const unmatched = await call(harness, 'GET', '/v1/recordings?unmatched=true', { roles: ['reviewer'] });
    expect(unmatched.status).toBe(200);
    expect(unmatched.body.items.map((r: { id: string }) => r.id)).toContain(recording.id);

    const registered = await putSession(
      'session-registered-late',
      sessionBody({ zoomMeetingId: String(meetingId), startsAt: new Date(start).toISOString(), policyProfile: 'classes' }),
    );
    expect(registered.status).toBe(201);
    expect(registered.body.linkedRecordings).toEqual([recording.id]);

    const after = await call(harness, 'GET', `/v1/recordings/${recording.id}`, { roles: ['admin'] });
    expect(after.body).toMatchObject({ sessionId: 'session-registered-late', policyProfile: 'classes' });
    const stillUnmatched = await call(harness, 'GET', '/v1/recordings?unmatched=true', { roles: ['admin'] });
    expect(stillUnmatched.body.items.map((r: { id: string }) => r.id)).not.toContain(recording.id);
    const byUuid = await call(harness, 'GET', `/v1/recordings?zoomMeetingUuid=${encodeURIComponent(recording.uuid)}`, { roles: ['reviewer'] });
    expect(byUuid.body.items.map((r: { id: string; sessionId: string }) => [r.id, r.sessionId])).toEqual([[recording.id, 'session-registered-late']]);

    const audit = await call(harness, 'GET', `/v1/audit?subjectId=${recording.id}`, { roles: ['admin'] });
    expect(audit.status).toBe(200);
    const linked = audit.body.items.filter((i: { action: string }) => i.action === 'recording.linked');
    expect(linked).toHaveLength(1);
    expect(linked[0]).toMatchObject({ actorId: 'platform-service', subjectType: 'recording', subjectId: recording.id });
  });

  it('names the people behind per-participant audio of a recording that arrived before its session', async () => {
    const meetingId = randomMeetingId();
    const start = Date.now() - 3 * 3600_000;
    const downloadToken = fakeDownloadToken();
    host.acceptToken(downloadToken);
    const track = (name: string) => ({ name, served: host.addFile({ content: Buffer.from(`audio of ${name}`), contentType: 'audio/mp4' }) });
    const tracks = [track('Ms Rivera'), track('Elisa L'), track('Somebody Else')];
    const uuid = randomMeetingUuid();
    const body = recordingCompletedEvent({
      uuid,
      meetingId,
      startTime: zoomTime(start + 60_000),
      downloadToken,
      files: [],
      participantAudio: tracks.map((t, i) => ({ id: `track-${i}-${uuid}`, displayName: t.name, downloadUrl: t.served.downloadUrl, size: t.served.size })),
    });
    expect((await sendWebhook(`${harness.baseUrl}/webhooks/zoom`, ZOOM_SECRET, body)).status).toBe(200);
    const recordingId = await waitFor(async () => {
      const rows = await harness.query<{ id: string; status: string }>('SELECT id, status FROM recordings WHERE zoom_meeting_uuid = $1', [uuid]);
      return rows[0]?.status === 'archived' ? rows[0].id : null;
    }, 'the early recording to be archived');
    const unnamed = await harness.query<{ person_id: string | null }>(`SELECT person_id FROM artifacts WHERE recording_id = $1`, [recordingId]);
    expect(unnamed.every((a) => a.person_id === null)).toBe(true);

    const registered = await putSession('session-with-late-tracks', sessionBody({ zoomMeetingId: String(meetingId), startsAt: new Date(start).toISOString() }));
    expect(registered.body.linkedRecordings).toEqual([recordingId]);
    const named = await harness.query<{ person_id: string | null; participant_label: string }>(
      `SELECT person_id, participant_label FROM artifacts WHERE recording_id = $1 ORDER BY participant_label`,
      [recordingId],
    );
    expect(named.map((a) => [a.participant_label, a.person_id])).toEqual([
      ['Elisa L', 'learner-elisa'],
      ['Ms Rivera', 'tutor-rivera'],
      ['Somebody Else', null],
    ]);
  });

  describe('GET /v1/recordings/:id', () => {
    let recordingId: string;
    beforeAll(async () => {
      recordingId = (await deliverRecording(randomMeetingId(), zoomTime(Date.now() - 3600_000))).id;
    });

    it('answers 404 for a recording id that does not exist', async () => {
      expect((await call(harness, 'GET', `/v1/recordings/${randomUUID()}`, { roles: ['admin'] })).status).toBe(404);
    });

    it('answers 404 for an id that is not a uuid', async () => {
      expect((await call(harness, 'GET', '/v1/recordings/not-a-uuid', { roles: ['admin'] })).status).toBe(404);
    });

    it('shows a reviewer the recording and its artifacts', async () => {
      const res = await call(harness, 'GET', `/v1/recordings/${recordingId}`, { roles: ['reviewer'], sub: 'reviewer-kim' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: recordingId, status: 'archived' });
      expect(res.body.artifacts).toEqual([
        expect.objectContaining({ kind: 'transcript', status: 'stored', sizeBytes: TRANSCRIPT.length, deletedAt: null }),
      ]);
    });

    it('refuses a tutor with 403', async () => {
      expect((await call(harness, 'GET', `/v1/recordings/${recordingId}`, { roles: ['tutor'], sub: 'tutor-rivera' })).status).toBe(403);
    });

    it('refuses a caller without a bearer token with 401', async () => {
      expect((await call(harness, 'GET', `/v1/recordings/${recordingId}`, { token: null })).status).toBe(401);
    });

    it('audits every recording a list read shows, under the reader, like a single read', async () => {
      const [{ zoom_meeting_uuid: uuid }] = await harness.query<{ zoom_meeting_uuid: string }>('SELECT zoom_meeting_uuid FROM recordings WHERE id = $1', [recordingId]);
      const listed = await call(harness, 'GET', `/v1/recordings?zoomMeetingUuid=${encodeURIComponent(uuid)}`, { roles: ['reviewer'], sub: 'reviewer-lists' });
      expect(listed.body.items.map((r: { id: string }) => r.id)).toEqual([recordingId]);
      const unmatched = await call(harness, 'GET', '/v1/recordings?unmatched=true', { roles: ['reviewer'], sub: 'reviewer-lists-unmatched' });
      expect(unmatched.body.items.map((r: { id: string }) => r.id)).toContain(recordingId);

      const audit = await call(harness, 'GET', `/v1/audit?subjectId=${recordingId}`, { roles: ['admin'] });
      const views = audit.body.items.filter((i: { action: string }) => i.action === 'recording.viewed').map((i: { actorId: string }) => i.actorId);
      expect(views).toEqual(expect.arrayContaining(['reviewer-lists', 'reviewer-lists-unmatched']));
      // Ids only: nothing of the recording's content in the trail.
      const [entry] = await harness.query<{ details: object }>(
        `SELECT details FROM audit_log WHERE subject_id = $1 AND actor_id = 'reviewer-lists'`,
        [recordingId],
      );
      expect(JSON.stringify(entry.details)).not.toContain(uuid);
    });

    it('answers 404 naming the session when a recording is linked to a session that does not exist', async () => {
      const res = await call(harness, 'POST', `/v1/recordings/${recordingId}/link`, { roles: ['admin'], json: { sessionId: 'no-such-session' } });
      expect(res.status).toBe(404);
      expect(res.body.message).toBe('session no-such-session not found');
    });
  });

  it('keeps an intact audit chain through all of the above', async () => {
    const res = await call(harness, 'GET', '/v1/audit/verify', { roles: ['admin'] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, checked: expect.any(Number), firstBrokenId: null });
    expect(res.body.checked).toBeGreaterThan(10);
  });
});
