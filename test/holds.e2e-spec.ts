import { S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FixedClock } from '@lib/clock';
import { ArtifactDeletion, RetentionSweeper } from '@lib/retention';
import { FakeZoomHost, generateSampleMedia, randomMeetingId, SampleMedia, zoomTime } from '@lib/zoom-simulator';
import { call } from './support/api-client';
import { DAY_MS, deliverRecording, registerSession } from './support/builders';
import { objectExists, s3Of } from './support/bucket';
import { ServiceHarness } from './support/harness';
import { artifactsOf } from './support/rows';
import { waitFor } from './support/wait';

/**
 * POLICIES §2: a hold (safety investigation, legal) pauses deletion of what it covers until it is
 * released; then whatever expired goes at the next sweep. Holds are placed and released by admins
 * and the safety team, and the audit trail records them by id only.
 */

const NOTE = 'Parent reported a message from the tutor on 3 Nov; keep everything until the review ends.';

describe('holds', () => {
  const clock = new FixedClock(new Date());
  let host: FakeZoomHost;
  let media: SampleMedia;
  let workDir: string;
  let harness: ServiceHarness;
  let s3: S3Client;
  let recordingId: string;

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'holds-'));
    host = new FakeZoomHost();
    await host.start();
    media = await generateSampleMedia(path.join(workDir, 'media'), { seconds: 2 });
    harness = await ServiceHarness.start({
      clock,
      env: { ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(','), RETENTION_SWEEP_INTERVAL_MS: '3600000' },
    });
    s3 = s3Of(harness);
    recordingId = (await sessionWithRecording('holds-api')).recordingId;
  });

  afterAll(async () => {
    s3?.destroy();
    await harness?.stop();
    await host?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  /** A tutoring session that started ten minutes ago, and (unless told otherwise) its recording. */
  async function sessionWithRecording(id: string, opts: { beforeRecording?: () => Promise<void> } = {}) {
    clock.set(new Date());
    const startsAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 10 * 60_000);
    const meetingId = randomMeetingId();
    await registerSession(harness, id, { zoomMeetingId: String(meetingId), startsAt: startsAt.toISOString() });
    await opts.beforeRecording?.();
    const { id: recordingId } = await deliverRecording(harness, host, media, { meetingId, startTime: zoomTime(startsAt.getTime() + 60_000) });
    return { startsAt, recordingId };
  }

  const place = (body: unknown, roles = ['safety'], sub = 'safety-amir') => call(harness, 'POST', '/v1/holds', { json: body, roles, sub });

  describe('POST /v1/holds and DELETE /v1/holds/:id', () => {
    it('places a hold for the safety team (201) and releases it (200), auditing both by id only', async () => {
      const placed = await place({ scope: 'recording', targetId: recordingId, reason: 'safety investigation', note: NOTE });
      expect(placed.status).toBe(201);
      expect(placed.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        scope: 'recording',
        targetId: recordingId,
        reason: 'safety investigation',
        note: NOTE,
        placedBy: 'safety-amir',
        placedAt: clock.now().toISOString(),
        releasedAt: null,
        active: true,
      });
      const id = placed.body.id;
      expect((await call(harness, 'GET', `/v1/holds/${id}`, { roles: ['admin'] })).body).toMatchObject({ id, active: true });

      const released = await call(harness, 'DELETE', `/v1/holds/${id}`, { roles: ['admin'], sub: 'admin-lee' });
      expect(released.status).toBe(200);
      expect(released.body).toMatchObject({ id, releasedBy: 'admin-lee', releasedAt: clock.now().toISOString(), active: false });

      const again = await call(harness, 'DELETE', `/v1/holds/${id}`, { roles: ['admin'] });
      expect(again.status).toBe(409);
      expect(again.body.message).toContain('already released');

      const audit = await call(harness, 'GET', `/v1/audit?subjectId=${id}`);
      expect(audit.body.items.map((i: { action: string; actorId: string; subjectType: string }) => [i.action, i.actorId, i.subjectType])).toEqual([
        ['hold.released', 'admin-lee', 'hold'],
        ['hold.placed', 'safety-amir', 'hold'],
      ]);
      const rows = await harness.query<{ details: Record<string, unknown>; raw: string }>(
        `SELECT details, row_to_json(audit_log)::text AS raw FROM audit_log WHERE subject_id = $1`,
        [id],
      );
      for (const row of rows) {
        expect(row.details).toEqual({ scope: 'recording', targetId: recordingId });
        expect(row.raw).not.toContain('Parent reported');
        expect(row.raw).not.toContain('safety investigation');
      }
    });

    const invalid: Array<[string, unknown]> = [
      ['an unknown scope', { scope: 'tutor', targetId: 'x', reason: 'legal' }],
      ['no scope', { targetId: 'x', reason: 'legal' }],
      ['no targetId', { scope: 'person', reason: 'legal' }],
      ['an empty targetId', { scope: 'person', targetId: '', reason: 'legal' }],
      ['no reason', { scope: 'person', targetId: 'elisa-holds-api' }],
      ['an empty reason', { scope: 'person', targetId: 'elisa-holds-api', reason: '' }],
      ['a note that is not text', { scope: 'person', targetId: 'elisa-holds-api', reason: 'legal', note: 42 }],
      ['a note over 2000 characters', { scope: 'person', targetId: 'elisa-holds-api', reason: 'legal', note: 'x'.repeat(2001) }],
      ['a field that is not part of a hold', { scope: 'person', targetId: 'elisa-holds-api', reason: 'legal', expiresAt: '2030-01-01' }],
    ];

    it.each(invalid)('refuses %s with 400 and places nothing', async (_, body) => {
      const before = await harness.query<{ n: number }>('SELECT count(*)::int AS n FROM holds');
      const res = await place(body);
      expect(res.status).toBe(400);
      expect(await harness.query('SELECT count(*)::int AS n FROM holds')).toEqual(before);
    });

    it('refuses a body that is not JSON with 400', async () => {
      const res = await fetch(`${harness.baseUrl}/v1/holds`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await harness.token(['admin'])}`, 'content-type': 'application/json' },
        body: '{"scope": "recording",',
      });
      expect(res.status).toBe(400);
    });

    it('answers 401 without a valid token and 403 for a tutor, reviewer or the platform', async () => {
      const body = { scope: 'recording', targetId: recordingId, reason: 'legal' };
      expect((await call(harness, 'POST', '/v1/holds', { json: body, token: null })).status).toBe(401);
      expect((await call(harness, 'POST', '/v1/holds', { json: body, token: 'not.a.jwt' })).status).toBe(401);
      for (const roles of [['tutor'], ['reviewer'], ['platform']]) expect([roles, (await place(body, roles)).status]).toEqual([roles, 403]);
      expect((await call(harness, 'DELETE', `/v1/holds/${randomUUID()}`, { roles: ['tutor'] })).status).toBe(403);
      expect((await call(harness, 'DELETE', `/v1/holds/${randomUUID()}`, { token: null })).status).toBe(401);
      expect(await harness.query(`SELECT count(*)::int AS n FROM holds WHERE released_at IS NULL`)).toEqual([{ n: 0 }]);
    });

    it('answers 404 for an unknown hold, recording, session or person', async () => {
      expect((await call(harness, 'DELETE', `/v1/holds/${randomUUID()}`)).status).toBe(404);
      expect((await call(harness, 'DELETE', '/v1/holds/not-a-uuid')).status).toBe(404);
      expect((await call(harness, 'GET', `/v1/holds/${randomUUID()}`)).status).toBe(404);
      expect((await place({ scope: 'recording', targetId: randomUUID(), reason: 'legal' })).status).toBe(404);
      expect((await place({ scope: 'recording', targetId: 'not-a-uuid', reason: 'legal' })).status).toBe(404);
      expect((await place({ scope: 'session', targetId: 'no-such-session', reason: 'legal' })).status).toBe(404);
      expect((await place({ scope: 'person', targetId: 'no-such-person', reason: 'legal' })).status).toBe(404);
    });
  });

  describe('what a hold covers survives the sweep, and goes after release', () => {
    const MEDIA = ['audio', 'participant_audio', 'video'];
    const sweep = () => harness.app!.get(RetentionSweeper).sweep();
    const mediaOf = async (id: string) => (await artifactsOf(harness, id)).filter((a) => MEDIA.includes(a.kind));

    it('keeps everything held by recording, session (placed before the recording arrived) and person; deletes it at the next sweep after release', async () => {
      const byRecording = await sessionWithRecording('held-by-recording');
      let sessionHold = '';
      const bySession = await sessionWithRecording('held-by-session', {
        beforeRecording: async () => {
          const res = await place({ scope: 'session', targetId: 'held-by-session', reason: 'legal' }, ['admin']);
          expect(res.status).toBe(201);
          sessionHold = res.body.id;
        },
      });
      const byPerson = await sessionWithRecording('held-by-person');
      const unheld = await sessionWithRecording('not-held');
      const holds = [
        sessionHold,
        (await place({ scope: 'recording', targetId: byRecording.recordingId, reason: 'safety investigation', note: NOTE })).body.id,
        (await place({ scope: 'person', targetId: 'tom-held-by-person', reason: 'safety investigation' })).body.id,
      ];
      expect(holds.every(Boolean)).toBe(true);

      const heldRecordings = [byRecording, bySession, byPerson].map((r) => r.recordingId);
      const view = await call(harness, 'GET', `/v1/recordings/${byPerson.recordingId}`, { roles: ['reviewer'] });
      expect(view.body.holds).toEqual([{ id: holds[2], scope: 'person', targetId: 'tom-held-by-person', placedAt: clock.now().toISOString() }]);
      expect(view.body.artifacts.every((a: { held: boolean }) => a.held)).toBe(true);

      // 31 days on, every video and audio has expired; two sweeps later only the unheld recording lost its.
      clock.set(new Date(byRecording.startsAt.getTime() + 31 * DAY_MS));
      for (let i = 0; i < 2; i += 1) {
        const result = await sweep();
        const swept = new Set(result.artifacts.map((a) => a.id));
        for (const id of heldRecordings) for (const a of await mediaOf(id)) expect(swept.has(a.id)).toBe(false);
      }
      await waitFor(
        async () => (await Promise.all([unheld.recordingId, recordingId].map(mediaOf))).flat().every((a) => a.status === 'deleted'),
        'the unheld media (and that of the recording whose hold was released earlier) to be deleted',
      );
      for (const id of heldRecordings) {
        for (const a of await mediaOf(id)) {
          expect([a.kind, a.status, await objectExists(s3, a.storage_key)]).toEqual([a.kind, 'stored', true]);
        }
      }
      const status = await call(harness, 'GET', '/v1/retention/status');
      expect(status.body.held).toBe(24);
      expect(status.body.overdue).toBe(0); // held is not overdue

      // The deletion path itself refuses what is held, whoever calls it.
      const heldVideo = (await mediaOf(byPerson.recordingId)).find((a) => a.kind === 'video')!;
      expect(await harness.app!.get(ArtifactDeletion).deleteArtifact(heldVideo.id)).toBe('held');

      for (const id of holds) expect((await call(harness, 'DELETE', `/v1/holds/${id}`, { roles: ['safety'] })).status).toBe(200);
      const result = await sweep();
      expect(result.found).toBe(15);
      await waitFor(
        async () => {
          for (const id of heldRecordings) if (!(await mediaOf(id)).every((a) => a.status === 'deleted')) return false;
          return true;
        },
        'the released media to be deleted',
      );
      for (const id of heldRecordings) {
        for (const a of await mediaOf(id)) expect(await objectExists(s3, a.storage_key)).toBe(false);
        const text = (await artifactsOf(harness, id)).filter((a) => !MEDIA.includes(a.kind));
        expect(text.map((a) => a.status)).toEqual(['stored', 'stored', 'stored']);
      }
    });
  });
});
