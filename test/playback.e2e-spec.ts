import { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { FixedClock } from '@lib/clock';
import { ObjectStore } from '@lib/storage';
import { call } from './support/api-client';
import { recordConsent, registerSession } from './support/builders';
import { objectSha256, s3Of } from './support/bucket';
import { ServiceHarness } from './support/harness';
import { SeededStream, seedRecording, seedStream } from './support/streams';

/**
 * Issue 12 items 2 and 3 (POLICIES §3, CONTRACT "Playback"): a short-lived URL bound to the viewer
 * and the recording; playlist, segments, poster and key fetched with no header and no cookie,
 * through the API, `no-store, private`; who may watch decided by role, assignment, profile and
 * the family's viewing terms; grants and key fetches audited under the recording.
 */
describe('playback', () => {
  const clock = new FixedClock(new Date());
  let harness: ServiceHarness;
  let s3: S3Client;
  let tutoringId: string;
  let classId: string;
  let audioOnlyId: string;
  let stream: SeededStream;
  let classStream: SeededStream;

  const grant = (id: string, roles: string[], sub: string) => call(harness, 'POST', `/v1/recordings/${id}/playback`, { roles, sub });
  /** What a player does: a plain GET, no Authorization header, no cookie. */
  const fetchPlain = (pathname: string) => fetch(`${harness.baseUrl}${pathname}`);
  const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());
  const base = (url: string) => url.replace(/index\.m3u8$/, '');

  beforeAll(async () => {
    harness = await ServiceHarness.start({ clock, runMode: 'api' });
    s3 = s3Of(harness);
    await registerSession(harness, 'pb-t', { policyProfile: 'tutoring' });
    await registerSession(harness, 'pb-c', { policyProfile: 'classes' });
    tutoringId = await seedRecording(harness, 'pb-t', 'tutoring');
    classId = await seedRecording(harness, 'pb-c', 'classes');
    audioOnlyId = await seedRecording(harness, 'pb-t', 'tutoring');
    stream = await seedStream(harness, s3, tutoringId, { seconds: 6 });
    classStream = await seedStream(harness, s3, classId, { seconds: 4 });
    await seedStream(harness, s3, audioOnlyId, { seconds: 4, audioOnly: true });
  });

  afterAll(async () => {
    s3?.destroy();
    await harness?.stop();
  });

  describe('who may watch', () => {
    it.each(['reviewer', 'admin', 'safety'])('a staff %s gets a URL for any recording', async (role) => {
      expect((await grant(tutoringId, [role], `staff-${role}`)).status).toBe(201);
      expect((await grant(classId, [role], `staff-${role}`)).status).toBe(201);
    });

    it('a volunteer reviewer gets one only once the recording is assigned to them', async () => {
      expect((await grant(tutoringId, ['volunteer_reviewer'], 'vol-1')).status).toBe(403);
      const assigned = await call(harness, 'POST', '/v1/reviews/assignments', { roles: ['reviewer'], sub: 'rev-lead', json: { recordingId: tutoringId, reviewerId: 'vol-1', team: 'peer_review' } });
      expect(assigned.status).toBe(201);
      expect(assigned.body).toMatchObject({ recordingId: tutoringId, reviewerId: 'vol-1', team: 'peer_review', assignedBy: 'rev-lead' });
      expect((await grant(tutoringId, ['volunteer_reviewer'], 'vol-1')).status).toBe(201);
      expect((await grant(tutoringId, ['volunteer_reviewer'], 'vol-2')).status).toBe(403);
      expect((await grant(classId, ['volunteer_reviewer'], 'vol-1')).status).toBe(403);
      const listed = await call(harness, 'GET', '/v1/reviews/assignments?reviewerId=vol-1', { roles: ['admin'] });
      expect(listed.body.assignments.map((a: { recordingId: string }) => a.recordingId)).toEqual([tutoringId]);
    });

    it('assignments are made by admins and reviewers only, for recordings that exist', async () => {
      const body = { recordingId: tutoringId, reviewerId: 'vol-3', team: 'mentor' };
      expect((await call(harness, 'POST', '/v1/reviews/assignments', { roles: ['volunteer_reviewer'], sub: 'vol-3', json: body })).status).toBe(403);
      expect((await call(harness, 'POST', '/v1/reviews/assignments', { roles: ['admin'], json: { ...body, recordingId: '00000000-0000-4000-8000-000000000000' } })).status).toBe(404);
      expect((await call(harness, 'POST', '/v1/reviews/assignments', { roles: ['admin'], json: { ...body, team: 'Not A Team!' } })).status).toBe(400);
    });

    it('a family watches its own class only after accepting the viewing terms, and never in tutoring', async () => {
      expect((await grant(classId, ['family'], 'parent-pb-c')).status).toBe(403);
      expect((await recordConsent(harness, 'parent-pb-c', { purpose: 'viewing_terms', decision: 'grant' })).status).toBe(201);
      const ok = await grant(classId, ['family'], 'parent-pb-c');
      expect(ok.status).toBe(201);
      expect((await grant(classId, ['family'], 'parent-pb-t')).status).toBe(403); // another class's parent
      expect((await recordConsent(harness, 'parent-pb-t', { purpose: 'viewing_terms', decision: 'grant' })).status).toBe(201);
      expect((await grant(tutoringId, ['family'], 'parent-pb-t')).status).toBe(403); // tutoring: never
      expect((await grant(tutoringId, ['family'], 'elisa-pb-t')).status).toBe(403);
    });

    it.each([['tutor', 'tutor-pb-t'], ['platform', 'platform-service'], ['researcher', 'res-1']])('a %s never gets one', async (role, sub) => {
      expect((await grant(tutoringId, [role], sub)).status).toBe(403);
    });

    it('a family that withdraws the terms loses the stream it was granted: playlist and key answer 403', async () => {
      await recordConsent(harness, 'elisa-pb-c', { purpose: 'viewing_terms', decision: 'grant' });
      const granted = await grant(classId, ['family'], 'elisa-pb-c');
      expect(granted.status).toBe(201);
      expect((await fetchPlain(granted.body.url)).status).toBe(200);
      await recordConsent(harness, 'elisa-pb-c', { purpose: 'viewing_terms', decision: 'withdraw' });
      const playlist = await fetchPlain(granted.body.url);
      expect([playlist.status, playlist.headers.get('cache-control')]).toEqual([403, 'no-store, private']);
      expect((await fetchPlain(`${base(granted.body.url)}key`)).status).toBe(403);
    });
  });

  describe('serving', () => {
    it('answers a relative URL of our own, expiring at the configured TTL (≤ 10 minutes), with a poster', async () => {
      const res = await grant(tutoringId, ['reviewer'], 'rev-1');
      expect(res.body.url).toMatch(/^\/v1\/playback\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\/index\.m3u8$/);
      expect(new Date(res.body.expiresAt).getTime()).toBe(Math.floor(clock.now().getTime() / 1000) * 1000 + 300_000);
      expect(res.body).toMatchObject({ audioOnly: false, poster: `${base(res.body.url)}poster.jpg` });
    });

    it('serves playlist, every segment, poster and key with no header, no-store, from the stream, naming our routes only', async () => {
      const { url, poster } = (await grant(tutoringId, ['reviewer'], 'rev-1')).body;
      const playlist = await fetchPlain(url);
      expect([playlist.status, playlist.headers.get('content-type'), playlist.headers.get('cache-control')]).toEqual([200, 'application/vnd.apple.mpegurl', 'no-store, private']);
      const text = await playlist.text();
      expect(text).toContain('#EXT-X-KEY:METHOD=AES-128,URI="key"');
      expect(text).not.toMatch(/https?:|s3|amazonaws|127\.0\.0\.1|r\//);
      const uris = text.split('\n').filter((l) => l && !l.startsWith('#'));
      expect(uris).toEqual(stream.segments);
      for (const name of uris) {
        const seg = await fetchPlain(`${base(url)}${name}`);
        expect([seg.status, seg.headers.get('content-type'), seg.headers.get('cache-control')]).toEqual([200, 'video/mp2t', 'no-store, private']);
        const got = await bytes(seg);
        expect(createHash('sha256').update(got).digest('hex')).toBe(await objectSha256(s3, `${stream.storageKey}/${name}`));
      }
      const key = await fetchPlain(`${base(url)}key`);
      expect([key.status, key.headers.get('content-type'), key.headers.get('cache-control')]).toEqual([200, 'application/octet-stream', 'no-store, private']);
      expect(await bytes(key)).toEqual(stream.key);
      const image = await fetchPlain(poster);
      expect([image.status, image.headers.get('content-type'), image.headers.get('cache-control')]).toEqual([200, 'image/jpeg', 'no-store, private']);
    });

    it("a token serves only its own recording's stream", async () => {
      const { url } = (await grant(classId, ['reviewer'], 'rev-1')).body;
      expect(await bytes(await fetchPlain(`${base(url)}key`))).toEqual(classStream.key);
      expect(await bytes(await fetchPlain(`${base(url)}key`))).not.toEqual(stream.key);
    });

    it('answers 404 for segment names outside the pattern, without asking storage', async () => {
      const { url } = (await grant(tutoringId, ['reviewer'], 'rev-1')).body;
      const read = jest.spyOn(harness.app!.get(ObjectStore), 'read');
      for (const name of ['seg-1.ts', 'seg-000001.ts', 'index.ts', 'seg-00000.ts.bak', '..%2Findex.m3u8', 'stream.key']) {
        const res = await fetchPlain(`${base(url)}${name}`);
        expect([name, res.status, res.headers.get('cache-control')]).toEqual([name, 404, 'no-store, private']);
      }
      expect(read).not.toHaveBeenCalled();
      read.mockRestore();
      expect((await fetchPlain(`${base(url)}seg-09999.ts`)).status).toBe(404); // well-formed, absent
    });

    it('says audioOnly for a recording with only an audio-only stream, without a poster', async () => {
      const res = await grant(audioOnlyId, ['reviewer'], 'rev-1');
      expect(res.body).toMatchObject({ audioOnly: true, poster: null });
      expect((await fetchPlain(`${base(res.body.url)}poster.jpg`)).status).toBe(404);
      expect((await fetchPlain(res.body.url)).status).toBe(200);
    });

    it('answers 404 with a message when there is no stream yet, naming withheld video', async () => {
      const none = await seedRecording(harness, 'pb-t', 'tutoring');
      expect(await grant(none, ['reviewer'], 'rev-1')).toEqual({ status: 404, body: { statusCode: 404, message: 'no stream yet' } });
      await harness.query(
        `INSERT INTO artifacts (recording_id, kind, storage_key, status, reason) VALUES ($1, 'video', $2, 'discarded', 'video opt-out')`,
        [none, `${none}/discarded.mp4`],
      );
      expect((await grant(none, ['reviewer'], 'rev-1')).body.message).toBe('no stream yet (video withheld: audio only)');
      expect((await grant('00000000-0000-4000-8000-000000000000', ['reviewer'], 'rev-1')).status).toBe(404);
    });
  });

  describe('tokens', () => {
    const alter = (url: string, change: (claims: Record<string, unknown>) => void): string => {
      const token = url.split('/')[3];
      const [body, sig] = token.split('.');
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
      change(claims);
      return url.replace(token, `${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`);
    };

    it('refuses with 401 a missing, malformed, forged or altered token on every route', async () => {
      const { url } = (await grant(tutoringId, ['reviewer'], 'rev-1')).body;
      const token = url.split('/')[3];
      const forged = url.replace(token, `${token.slice(0, -3)}${token.endsWith('AAA') ? 'BBB' : 'AAA'}`);
      const otherRecording = alter(url, (c) => (c.recordingId = classId));
      const otherPerson = alter(url, (c) => (c.personId = 'rev-2'));
      const longer = alter(url, (c) => (c.exp = (c.exp as number) + 3600));
      for (const playlist of ['/v1/playback/x/index.m3u8', '/v1/playback/not-a-token/index.m3u8', forged, otherRecording, otherPerson, longer]) {
        for (const file of ['index.m3u8', 'key', 'poster.jpg', 'seg-00000.ts']) {
          const res = await fetchPlain(`${base(playlist)}${file}`);
          expect([playlist, file, res.status, res.headers.get('cache-control')]).toEqual([playlist, file, 401, 'no-store, private']);
        }
      }
    });

    it('refuses an expired token with 401, and a renewed grant plays on', async () => {
      const { url } = (await grant(tutoringId, ['reviewer'], 'rev-1')).body;
      expect((await fetchPlain(`${base(url)}key`)).status).toBe(200);
      clock.advance(301_000);
      for (const file of ['index.m3u8', 'key', 'seg-00000.ts']) expect((await fetchPlain(`${base(url)}${file}`)).status).toBe(401);
      const renewed = (await grant(tutoringId, ['reviewer'], 'rev-1')).body.url;
      expect((await fetchPlain(`${base(renewed)}seg-00000.ts`)).status).toBe(200);
    });

    it('audits every grant (with its purpose) and every key fetch under the recording id, ids only', async () => {
      const granted = await call(harness, 'POST', `/v1/recordings/${tutoringId}/playback`, { roles: ['safety'], sub: 'safety-9', json: { purpose: 'safety_review' } });
      await fetchPlain(`${base(granted.body.url)}key`);
      const rows = await harness.query<{ action: string; actor_id: string; subject_type: string; details: Record<string, unknown> }>(
        `SELECT action, actor_id, subject_type, details FROM audit_log WHERE subject_id = $1 AND actor_id = 'safety-9' ORDER BY id`,
        [tutoringId],
      );
      expect(rows.map((r) => [r.action, r.subject_type])).toEqual([['playback.granted', 'recording'], ['playback.key_fetched', 'recording']]);
      expect(rows[0].details).toMatchObject({ purpose: 'safety_review', audioOnly: false });
      expect(JSON.stringify(rows)).not.toContain(granted.body.url.split('/')[3]);
    });

    it('refuses a purpose outside the list', async () => {
      expect((await call(harness, 'POST', `/v1/recordings/${tutoringId}/playback`, { roles: ['reviewer'], json: { purpose: 'fun' } })).status).toBe(400);
    });
  });
});

