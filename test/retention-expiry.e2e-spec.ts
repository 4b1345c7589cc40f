import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FixedClock } from '@lib/clock';
import { DEFAULT_POLICIES, RetentionSweeper } from '@lib/retention';
import { FakeZoomHost, generateSampleMedia, randomMeetingId, SampleMedia, zoomTime } from '@lib/zoom-simulator';
import { call } from './support/api-client';
import { DAY_MS, deliverRecording, registerSession } from './support/builders';
import { objectTags, s3Of } from './support/bucket';
import { ServiceHarness } from './support/harness';
import { artifactsOf } from './support/rows';
import { waitFor } from './support/wait';

/**
 * POLICIES §2: every artifact gets its expiry the moment it exists, from its session's start and
 * its profile's rules; a policy change re-computes it (shorter at once, longer never revives).
 */

const MEDIA_KINDS = ['audio', 'participant_audio', 'video'];
const TEXT_KINDS = ['chat', 'timeline', 'transcript'];

const plusYears = (d: Date, years: number) => {
  const t = new Date(d);
  t.setUTCFullYear(t.getUTCFullYear() + years);
  return t;
};

describe('expiry at ingest and on policy changes', () => {
  const clock = new FixedClock(new Date());
  let host: FakeZoomHost;
  let media: SampleMedia;
  let workDir: string;
  let harness: ServiceHarness;

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'retention-expiry-'));
    host = new FakeZoomHost();
    await host.start();
    media = await generateSampleMedia(path.join(workDir, 'media'), { seconds: 2 });
    harness = await ServiceHarness.start({
      clock,
      env: { ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(','), RETENTION_SWEEP_INTERVAL_MS: '3600000' },
    });
  });

  afterAll(async () => {
    await harness?.stop();
    await host?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  /** A session that started ten minutes ago (on the whole second) whose Zoom recording began 3 minutes in. */
  async function sessionWithRecording(id: string, policyProfile: 'tutoring' | 'classes') {
    clock.set(new Date());
    const startsAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 10 * 60_000);
    const meetingId = randomMeetingId();
    await registerSession(harness, id, { zoomMeetingId: String(meetingId), startsAt: startsAt.toISOString(), policyProfile });
    const { id: recordingId } = await deliverRecording(harness, host, media, { meetingId, startTime: zoomTime(startsAt.getTime() + 3 * 60_000) });
    return { startsAt, recordingId };
  }

  const expiryByKind = async (recordingId: string) =>
    Object.fromEntries((await artifactsOf(harness, recordingId)).map((a) => [a.kind, a.expires_at?.toISOString()]));

  it('deletes video and audio 30 days after a tutoring session starts, and keeps its transcript, chat and timeline 3 years', async () => {
    const { startsAt, recordingId } = await sessionWithRecording('expiry-tutoring', 'tutoring');
    const view = await call(harness, 'GET', `/v1/recordings/${recordingId}`, { roles: ['reviewer'] });
    expect(view.status).toBe(200);
    expect(view.body.artifacts).toHaveLength(8);
    for (const a of view.body.artifacts) {
      const media = MEDIA_KINDS.includes(a.kind);
      expect({ kind: a.kind, expiresAt: a.expiresAt, retentionClass: a.retentionClass, policyProfile: a.policyProfile, policyVersion: a.policyVersion }).toEqual({
        kind: a.kind,
        expiresAt: (media ? new Date(startsAt.getTime() + 30 * DAY_MS) : plusYears(startsAt, 3)).toISOString(),
        retentionClass: media ? 'media' : 'text',
        policyProfile: 'tutoring',
        policyVersion: 1,
      });
    }
  });

  it('tags every stored object with its retention class and expiry day', async () => {
    const { startsAt, recordingId } = await sessionWithRecording('expiry-tags', 'tutoring');
    const s3 = s3Of(harness);
    try {
      for (const a of await artifactsOf(harness, recordingId)) {
        const media = MEDIA_KINDS.includes(a.kind);
        const day = (media ? new Date(startsAt.getTime() + 30 * DAY_MS) : plusYears(startsAt, 3)).toISOString().slice(0, 10);
        expect({ kind: a.kind, tags: await objectTags(s3, a.storage_key) }).toEqual({
          kind: a.kind,
          tags: { 'retention-class': media ? 'media' : 'text', 'expires-on': day },
        });
      }
    } finally {
      s3.destroy();
    }
  });

  it('deletes video and audio 90 days after a session starts in the classes profile', async () => {
    const { startsAt, recordingId } = await sessionWithRecording('expiry-classes', 'classes');
    const expiry = await expiryByKind(recordingId);
    for (const kind of MEDIA_KINDS) expect([kind, expiry[kind]]).toEqual([kind, new Date(startsAt.getTime() + 90 * DAY_MS).toISOString()]);
    for (const kind of TEXT_KINDS) expect([kind, expiry[kind]]).toEqual([kind, plusYears(startsAt, 3).toISOString()]);
  });

  it('keeps an unmatched recording under the strictest (tutoring) policy from its own start, and re-computes it when its classes session is registered', async () => {
    clock.set(new Date());
    const meetingId = randomMeetingId();
    const recordingStart = new Date(Math.floor(Date.now() / 1000) * 1000 - 5 * 60_000);
    const { id: recordingId } = await deliverRecording(harness, host, media, { meetingId, startTime: zoomTime(recordingStart) });
    const before = await artifactsOf(harness, recordingId);
    for (const a of before) {
      const media = MEDIA_KINDS.includes(a.kind);
      expect([a.kind, a.policy_profile, a.expires_at?.toISOString()]).toEqual([
        a.kind,
        'tutoring',
        (media ? new Date(recordingStart.getTime() + 30 * DAY_MS) : plusYears(recordingStart, 3)).toISOString(),
      ]);
    }

    // The session was scheduled two minutes before Zoom started recording: its start is the anchor.
    const startsAt = new Date(recordingStart.getTime() - 2 * 60_000);
    await registerSession(harness, 'expiry-linked-late', { zoomMeetingId: String(meetingId), startsAt: startsAt.toISOString(), policyProfile: 'classes' });
    const after = await artifactsOf(harness, recordingId);
    for (const a of after) {
      const media = MEDIA_KINDS.includes(a.kind);
      expect([a.kind, a.policy_profile, a.expires_at?.toISOString()]).toEqual([
        a.kind,
        'classes',
        (media ? new Date(startsAt.getTime() + 90 * DAY_MS) : plusYears(startsAt, 3)).toISOString(),
      ]);
    }
  });

  it('re-computes expiry when an admin links an unmatched recording to its session', async () => {
    clock.set(new Date());
    const recordingStart = new Date(Math.floor(Date.now() / 1000) * 1000 - 20 * 60_000);
    const { id: recordingId } = await deliverRecording(harness, host, media, { meetingId: randomMeetingId(), startTime: zoomTime(recordingStart) });
    // Registered under another meeting id (Zoom's personal room), so only an admin can tie them.
    const startsAt = new Date(recordingStart.getTime() - 60 * 60_000);
    await registerSession(harness, 'expiry-linked-by-admin', { zoomMeetingId: String(randomMeetingId()), startsAt: startsAt.toISOString(), policyProfile: 'classes' });
    const linked = await call(harness, 'POST', `/v1/recordings/${recordingId}/link`, { json: { sessionId: 'expiry-linked-by-admin' } });
    expect(linked.status).toBe(201);
    const video = linked.body.artifacts.find((a: { kind: string }) => a.kind === 'video');
    expect(video).toMatchObject({ policyProfile: 'classes', expiresAt: new Date(startsAt.getTime() + 90 * DAY_MS).toISOString() });
  });

  describe('GET and PUT /v1/retention/policies', () => {
    it('lists the newest version of both profiles to an admin', async () => {
      const res = await call(harness, 'GET', '/v1/retention/policies');
      expect(res.status).toBe(200);
      const byProfile = Object.fromEntries(res.body.items.map((p: { profile: string }) => [p.profile, p]));
      expect(byProfile.classes).toMatchObject({ version: 1, rules: DEFAULT_POLICIES.classes });
      expect(byProfile.tutoring.rules.video).toEqual({ keep: { amount: 30, unit: 'days' }, from: 'session_start' });
    });

    it('refuses malformed rules with 400 naming the kind, and changes nothing', async () => {
      const res = await call(harness, 'PUT', '/v1/retention/policies/classes', { json: { rules: { video: { keep: { amount: -3, unit: 'days' }, from: 'session_start' } } } });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain('rules.video.keep');
      expect((await call(harness, 'PUT', '/v1/retention/policies/classes', { json: { rules: 'thirty days' } })).status).toBe(400);
      expect((await call(harness, 'PUT', '/v1/retention/policies/classes', { json: {} })).status).toBe(400);
      expect(await harness.query('SELECT max(version)::int AS v FROM retention_policies WHERE profile = $1', ['classes'])).toEqual([{ v: 1 }]);
    });

    it('answers 404 for an unknown profile, 401 without a token and 403 for a tutor or reviewer', async () => {
      const rules = { rules: { video: { keep: { amount: 10, unit: 'days' }, from: 'session_start' } } };
      expect((await call(harness, 'PUT', '/v1/retention/policies/summer-camp', { json: rules })).status).toBe(404);
      expect((await call(harness, 'GET', '/v1/retention/policies', { token: null })).status).toBe(401);
      expect((await call(harness, 'PUT', '/v1/retention/policies/classes', { json: rules, roles: ['tutor'] })).status).toBe(403);
      expect((await call(harness, 'GET', '/v1/retention/policies', { roles: ['reviewer'] })).status).toBe(403);
    });
  });

  it('re-computes stored artifacts when video is shortened, so the next sweep deletes them; lengthening never revives what is gone', async () => {
    const { startsAt, recordingId } = await sessionWithRecording('expiry-policy-change', 'tutoring');
    const video = (await artifactsOf(harness, recordingId)).find((a) => a.kind === 'video')!;

    const shorter = await call(harness, 'PUT', '/v1/retention/policies/tutoring', {
      json: { rules: { video: { keep: { amount: 7, unit: 'days' }, from: 'session_start' } } },
      sub: 'admin-lee',
    });
    expect(shorter.status).toBe(200);
    expect(shorter.body).toMatchObject({ profile: 'tutoring', version: 2, createdBy: 'admin-lee' });
    expect(shorter.body.rules.audio).toEqual(DEFAULT_POLICIES.tutoring.audio);
    const changed = await harness.query<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_log WHERE action = 'retention_policy.changed' AND subject_id = 'tutoring' AND actor_id = 'admin-lee'`,
    );
    expect(changed).toEqual([{ details: { version: 2, previousVersion: 1, changedKinds: 'video' } }]);

    const recomputed = await waitFor(async () => {
      const artifacts = await artifactsOf(harness, recordingId);
      return artifacts.every((a) => a.policy_version === 2) ? artifacts : null;
    }, 'the recompute-expiry job to apply version 2');
    const expiry = Object.fromEntries(recomputed.map((a) => [a.kind, a.expires_at?.toISOString()]));
    expect(expiry.video).toBe(new Date(startsAt.getTime() + 7 * DAY_MS).toISOString());
    expect(expiry.audio).toBe(new Date(startsAt.getTime() + 30 * DAY_MS).toISOString());

    // Eight days on, the next sweep takes the video and nothing else.
    clock.set(new Date(startsAt.getTime() + 8 * DAY_MS));
    const sweep = await harness.app!.get(RetentionSweeper).sweep();
    expect(sweep.artifacts.filter((a) => a.id === video.id || recomputed.some((r) => r.id === a.id)).map((a) => a.kind)).toEqual(['video']);
    const deleted = await waitFor(
      async () => (await artifactsOf(harness, recordingId)).find((a) => a.kind === 'video' && a.status === 'deleted'),
      'the video to be deleted',
    );
    expect(deleted.reason).toBe('expired under the tutoring policy, version 2');
    expect((await artifactsOf(harness, recordingId)).filter((a) => a.status === 'stored')).toHaveLength(7);

    // Lengthening video and audio to 60 days extends the audio still kept; the deleted video stays deleted.
    clock.set(new Date());
    const longer = await call(harness, 'PUT', '/v1/retention/policies/tutoring', {
      json: { rules: { video: { keep: { amount: 60, unit: 'days' }, from: 'session_start' }, audio: { keep: { amount: 60, unit: 'days' }, from: 'session_start' } } },
    });
    expect(longer.status).toBe(200);
    expect(longer.body.version).toBe(3);
    const extended = await waitFor(async () => {
      const artifacts = await artifactsOf(harness, recordingId);
      return artifacts.filter((a) => a.status === 'stored').every((a) => a.policy_version === 3) ? artifacts : null;
    }, 'the recompute-expiry job to apply version 3');
    const byKind = Object.fromEntries(extended.map((a) => [a.kind, a]));
    expect(byKind.audio.expires_at?.toISOString()).toBe(new Date(startsAt.getTime() + 60 * DAY_MS).toISOString());
    expect(byKind.video).toMatchObject({ status: 'deleted', policy_version: 2, expires_at: new Date(startsAt.getTime() + 7 * DAY_MS) });

    // Back to the defaults (version 4), so nothing else in this database lives by the test's rules.
    expect((await call(harness, 'PUT', '/v1/retention/policies/tutoring', { json: { rules: DEFAULT_POLICIES.tutoring } })).status).toBe(200);
  });
});
