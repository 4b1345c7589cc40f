import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '@lib/clock';
import { RetentionSweeper } from '@lib/retention';
import { call } from './support/api-client';
import { registerSession } from './support/builders';
import { bucketFolderKeys } from './support/bucket';
import { ServiceHarness } from './support/harness';
import { waitFor } from './support/wait';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * Issue 11 A.10, POLICIES §2 ("learner verification videos: deleted once reviewed"): a video
 * nobody reviews must not live forever. It expires VERIFICATION_VIDEO_UNREVIEWED_DAYS after its
 * upload (3 here, 7 by default); the review decision then shortens that to the profile's
 * `verification_video` rule, and never lengthens it; a policy change keeps the fallback.
 */
describe('verification videos nobody reviews still expire', () => {
  const T0 = new Date('2026-11-05T09:30:00.000Z');
  const clock = new FixedClock(T0);
  const dir = mkdtempSync(join(tmpdir(), 'verification-expiry-'));
  const S = 'vv1';
  let harness: ServiceHarness;
  let mp4: Buffer;
  let unreviewed: string;
  let reviewed: string;

  beforeAll(async () => {
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-t', '1', '-c:v', 'libx264', join(dir, 'check.mp4')]);
    mp4 = readFileSync(join(dir, 'check.mp4'));
    harness = await ServiceHarness.start({ clock, env: { VERIFICATION_VIDEO_UNREVIEWED_DAYS: '3', RETENTION_SWEEP_INTERVAL_MS: '3600000' } });
    await registerSession(harness, S, { zoomMeetingId: '81234567890', startsAt: '2026-11-05T09:00:00Z' });
  });

  afterAll(async () => {
    await harness?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const uploadVideo = async (learner: string) => {
    const res = await call(harness, 'POST', `/v1/uploads?kind=verification_video&sessionId=${S}&learnerIds=${learner}`, { roles: ['platform'], sub: 'platform-service', raw: mp4, contentType: 'video/mp4' });
    expect(res.status).toBe(201);
    return res.body as { id: string; expiresAt: string | null };
  };
  const review = (id: string) => call(harness, 'POST', `/v1/uploads/${id}/review`, { roles: ['reviewer'], sub: 'reviewer-kim', json: { decision: 'approved' } });
  const rowOf = async (id: string) =>
    (await harness.query<{ status: string; expires_at: Date | null; storage_key: string }>('SELECT status, expires_at, storage_key FROM artifacts WHERE id = $1', [id]))[0];
  const sweeper = () => harness.app!.get(RetentionSweeper);

  it('gives a verification video an expiry at upload: the fallback, N days after the upload', async () => {
    const res = await uploadVideo(`tom-${S}`);
    unreviewed = res.id;
    expect(res.expiresAt).toBe(new Date(T0.getTime() + 3 * DAY).toISOString());
    const [row] = await harness.query<{ retention_class: string; retention_anchor_at: Date }>('SELECT retention_class, retention_anchor_at FROM artifacts WHERE id = $1', [unreviewed]);
    expect(row).toEqual({ retention_class: 'verification', retention_anchor_at: T0 });
  });

  it('shortens it to the review rule (one day after the decision) when a reviewer decides', async () => {
    reviewed = (await uploadVideo(`elisa-${S}`)).id;
    clock.advance(3 * HOUR);
    const res = await review(reviewed);
    expect(res.status).toBe(200);
    expect(res.body.expiresAt).toBe(new Date(T0.getTime() + 3 * HOUR + DAY).toISOString());
  });

  it('keeps the fallback of an unreviewed video when the policy changes (the recompute does not clear it)', async () => {
    const changed = await call(harness, 'PUT', '/v1/retention/policies/tutoring', {
      json: { rules: { verification_video: { keep: { amount: 2, unit: 'days' }, from: 'review_decision' } } },
    });
    expect(changed.status).toBe(200);
    await waitFor(
      async () => (await harness.query("SELECT 1 FROM retention_policies WHERE profile = 'tutoring' AND version = 2 AND applied_at IS NOT NULL")).length > 0,
      'the policy change to be applied',
    );
    expect((await rowOf(unreviewed)).expires_at).toEqual(new Date(T0.getTime() + 3 * DAY));
    expect((await rowOf(reviewed)).expires_at).toEqual(new Date(T0.getTime() + 3 * HOUR + 2 * DAY));
  });

  it('never keeps a video longer because its review came late: the fallback still ends it', async () => {
    const late = await uploadVideo(`tom-${S}`);
    const uploadedAt = clock.now().getTime();
    clock.advance(3 * DAY - HOUR);
    const res = await review(late.id);
    expect(res.status).toBe(200);
    expect(res.body.expiresAt).toBe(new Date(uploadedAt + 3 * DAY).toISOString());
  });

  it('is deleted by the sweep: the reviewed one per the review rule, the unreviewed one after the fallback', async () => {
    clock.set(T0);
    const dryRun = (at: number) => sweeper().sweep({ dryRun: true, at: new Date(at) });
    const idsOf = (r: { artifacts: Array<{ id: string }> }) => r.artifacts.map((a) => a.id);
    expect(idsOf(await dryRun(T0.getTime() + 2 * DAY + 3 * HOUR - 1))).not.toContain(reviewed);
    const atReview = idsOf(await dryRun(T0.getTime() + 2 * DAY + 3 * HOUR));
    expect(atReview).toContain(reviewed);
    expect(atReview).not.toContain(unreviewed);
    expect(idsOf(await dryRun(T0.getTime() + 3 * DAY - 1))).not.toContain(unreviewed);
    expect(idsOf(await dryRun(T0.getTime() + 3 * DAY))).toContain(unreviewed);

    // The real sweep, with the clock past the fallback: both go, objects and all.
    const keys = [(await rowOf(unreviewed)).storage_key, (await rowOf(reviewed)).storage_key];
    clock.set(new Date(T0.getTime() + 3 * DAY + 60_000));
    const swept = await sweeper().sweep({ inline: true });
    expect(idsOf(swept)).toEqual(expect.arrayContaining([unreviewed, reviewed]));
    expect((await rowOf(unreviewed)).status).toBe('deleted');
    expect((await rowOf(reviewed)).status).toBe('deleted');
    const bucket = await bucketFolderKeys(harness.s3Dir);
    for (const key of keys) expect(bucket).not.toContain(key);
  });
});
