import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeZoomHost, generateSampleMedia, randomMeetingId, SampleMedia } from '@lib/zoom-simulator';
import { call } from './support/api-client';
import { deliverRecording, zoomHostEnv } from './support/builders';
import { ServiceHarness } from './support/harness';
import { s3Of } from './support/bucket';
import { assign, seedStream } from './support/streams';

/**
 * Issue 12, reviews: outcomes (a safety outcome places a hold in the same transaction), who may
 * review, the review queue, the transcript beside the player, and the page's own routes.
 */
describe('reviews', () => {
  const host = new FakeZoomHost();
  let dir: string;
  let media: SampleMedia;
  let harness: ServiceHarness;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reviews-'));
    [media] = await Promise.all([generateSampleMedia(join(dir, 'media'), { seconds: 3 }), host.start()]);
    harness = await ServiceHarness.start({ env: { ...zoomHostEnv(host), REVIEW_SAMPLE_SHARE: '1' } });
  });

  afterAll(async () => {
    await host.stop();
    await harness?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const recording = async () => (await deliverRecording(harness, host, media, { meetingId: randomMeetingId() })).id;
  const review = (id: string, json: unknown, roles = ['reviewer'], sub = 'rev-1') => call(harness, 'POST', `/v1/recordings/${id}/reviews`, { roles, sub, json });
  const audit = (id: string, action: string) =>
    harness.query<{ actor_id: string; details: Record<string, unknown> }>('SELECT actor_id, details FROM audit_log WHERE subject_id = $1 AND action = $2', [id, action]);

  describe('recording an outcome', () => {
    it('records ok and coach without a hold, audited with ids only', async () => {
      const id = await recording();
      const ok = await review(id, { outcome: 'ok', note: 'Elisa L did well' });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ recordingId: id, outcome: 'ok', reviewerId: 'rev-1', holdId: null });
      const coach = await review(id, { outcome: 'coach' });
      expect(coach.body).toMatchObject({ outcome: 'coach', holdId: null });
      const entries = await audit(id, 'review.recorded');
      expect(entries.map((e) => e.details.outcome).sort()).toEqual(['coach', 'ok']);
      expect(JSON.stringify(entries)).not.toContain('Elisa');
      const [row] = await harness.query<{ note: string }>('SELECT note FROM reviews WHERE id = $1', [ok.body.id]);
      expect(row.note).toBe('Elisa L did well');
    });

    it('places a hold on the recording for a safety outcome, shown with the recording', async () => {
      const id = await recording();
      const res = await review(id, { outcome: 'safety', note: 'raised voice at 0:02' }, ['safety'], 'safety-1');
      expect(res.status).toBe(201);
      expect(res.body.holdId).toEqual(expect.any(String));
      const hold = await call(harness, 'GET', `/v1/holds/${res.body.holdId}`, { roles: ['safety'] });
      expect(hold.body).toMatchObject({ scope: 'recording', targetId: id, reason: 'safety review', note: null, placedBy: 'safety-1', active: true });
      const shown = await call(harness, 'GET', `/v1/recordings/${id}`);
      expect(shown.body.holds.map((h: { id: string }) => h.id)).toContain(res.body.holdId);
    });

    it('places no hold when the review cannot be recorded (one transaction)', async () => {
      const id = await recording();
      // A review row that breaks its own check after the hold was placed: both roll back.
      await harness.query(`ALTER TABLE reviews ADD CONSTRAINT test_no_safety CHECK (outcome <> 'safety') NOT VALID`);
      try {
        expect((await review(id, { outcome: 'safety' }, ['safety'])).status).toBe(500);
      } finally {
        await harness.query('ALTER TABLE reviews DROP CONSTRAINT test_no_safety');
      }
      expect(await harness.query("SELECT id FROM holds WHERE target_id = $1", [id])).toEqual([]);
      expect(await audit(id, 'review.recorded')).toEqual([]);
    });

    it('refuses an unknown outcome, an unknown recording and a note over 2000 characters', async () => {
      const id = await recording();
      expect((await review(id, { outcome: 'great' })).status).toBe(400);
      expect((await review(id, { outcome: 'ok', note: 'x'.repeat(2001) })).status).toBe(400);
      expect((await review('00000000-0000-4000-8000-000000000000', { outcome: 'ok' })).status).toBe(404);
      expect((await review('not-a-uuid', { outcome: 'ok' })).status).toBe(404);
    });

    it('lets a volunteer reviewer review only recordings assigned to them; tutors, families and researchers never', async () => {
      const id = await recording();
      expect((await review(id, { outcome: 'ok' }, ['volunteer_reviewer'], 'vol-1')).status).toBe(403);
      await assign(harness, id, 'vol-1', 'peer');
      expect((await review(id, { outcome: 'ok' }, ['volunteer_reviewer'], 'vol-1')).status).toBe(201);
      expect((await review(id, { outcome: 'ok' }, ['volunteer_reviewer'], 'vol-2')).status).toBe(403);
      for (const role of ['tutor', 'family', 'researcher', 'platform']) expect([role, (await review(id, { outcome: 'ok' }, [role])).status]).toEqual([role, 403]);
    });
  });

  describe('the queue', () => {
    it('lists streamed, unreviewed recordings newest first, per team, and only their assignments to a volunteer', async () => {
      const older = await recording();
      const newer = await recording();
      const noStream = await recording();
      await harness.query(`UPDATE recordings SET started_at = now() - interval '2 hours' WHERE id = $1`, [older]);
      await seedStream(harness, s3Of(harness), older, { source: media.video.path });
      await seedStream(harness, s3Of(harness), newer, { source: media.video.path });
      await assign(harness, older, 'vol-q', 'mentor');

      const staff = await call(harness, 'GET', '/v1/reviews/queue', { roles: ['reviewer'] });
      expect(staff.status).toBe(200);
      const ids = staff.body.items.map((i: { recordingId: string }) => i.recordingId);
      expect(ids.filter((i: string) => [older, newer, noStream].includes(i))).toEqual([newer, older]);
      expect(staff.body.teams).toEqual(expect.arrayContaining([{ team: 'mentor', recordingIds: [older] }]));
      expect(staff.body.items.find((i: { recordingId: string }) => i.recordingId === older).reasons).toEqual(['assigned', 'sampled']);

      const team = await call(harness, 'GET', '/v1/reviews/queue?team=mentor', { roles: ['admin'] });
      expect(team.body.items.map((i: { recordingId: string }) => i.recordingId)).toEqual([older]);
      const volunteer = await call(harness, 'GET', '/v1/reviews/queue', { roles: ['volunteer_reviewer'], sub: 'vol-q' });
      expect(volunteer.body.items.map((i: { recordingId: string }) => i.recordingId)).toEqual([older]);

      expect((await review(newer, { outcome: 'ok' })).status).toBe(201);
      const after = await call(harness, 'GET', '/v1/reviews/queue', { roles: ['reviewer'] });
      expect(after.body.items.map((i: { recordingId: string }) => i.recordingId)).not.toContain(newer);
      expect((await call(harness, 'GET', '/v1/reviews/queue', { roles: ['tutor'] })).status).toBe(403);
    });
  });

  describe('the transcript', () => {
    it('streams the stored transcript as WebVTT and audits the read with ids only', async () => {
      const id = await recording();
      const res = await fetch(`${harness.baseUrl}/v1/recordings/${id}/transcript`, { headers: { authorization: `Bearer ${await harness.token(['reviewer'], 'rev-t')}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/vtt/);
      expect(res.headers.get('cache-control')).toBe('no-store, private');
      expect(await res.text()).toMatch(/^WEBVTT/);
      const [entry] = await audit(id, 'transcript.read');
      expect(entry.actor_id).toBe('rev-t');
      expect(Object.keys(entry.details)).toEqual(['artifactId']);
    });

    it('answers 404 when there is no stored transcript, and 403 to a tutor', async () => {
      const id = await recording();
      expect((await call(harness, 'GET', `/v1/recordings/${id}/transcript`, { roles: ['tutor'] })).status).toBe(403);
      await harness.query("UPDATE artifacts SET status = 'deleted', deleted_at = now() WHERE recording_id = $1 AND kind = 'transcript'", [id]);
      expect((await call(harness, 'GET', `/v1/recordings/${id}/transcript`, { roles: ['reviewer'] })).status).toBe(404);
      expect((await call(harness, 'GET', '/v1/recordings/00000000-0000-4000-8000-000000000000/transcript', { roles: ['reviewer'] })).status).toBe(404);
    });
  });

  describe('the review page', () => {
    it('serves the page without a bearer token, self-only CSP, no download control', async () => {
      const id = '5c1a0c52-8a4e-4a55-9d7e-2b0e4c1f3a10';
      const res = await fetch(`${harness.baseUrl}/review/${id}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self'/);
      const html = await res.text();
      expect(html).toContain('controlsList="nodownload noremoteplayback"');
      expect(html).toContain('disablePictureInPicture');
      expect(html).not.toMatch(/https?:\/\//);
    });

    it('serves hls.js, the script and the styles itself, and 404 for a page id that is not a recording id', async () => {
      for (const [path, type] of [['/assets/hls.min.js', 'javascript'], ['/assets/review.js', 'javascript'], ['/assets/review.css', 'css']]) {
        const res = await fetch(`${harness.baseUrl}${path}`);
        expect([path, res.status, res.headers.get('content-type')]).toEqual([path, 200, expect.stringContaining(type)]);
        expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
      }
      expect((await fetch(`${harness.baseUrl}/review/%3Cscript%3E`)).status).toBe(404);
    });
  });
});
