import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '@lib/clock';
import { createS3Client } from '@lib/storage';
import { call } from './support/api-client';
import { recordConsent, registerSession } from './support/builders';
import { bucketFolderKeys } from './support/bucket';
import { ServiceHarness } from './support/harness';
import { waitFor } from './support/wait';

/**
 * Other media (issue 3 item 10, POLICIES §2 and §4): images of pupils, refused unless every
 * pictured learner has a current images consent and removed 5 working days after upload; learner
 * verification videos, deleted a configurable time after their review decision. Streamed to the
 * bucket with a size limit, and checked with ffprobe: what is not what it claims is not kept.
 */
describe('uploads: images and verification videos', () => {
  // Thursday 5 November 2026: five working days later is Thursday 12 November.
  const clock = new FixedClock(new Date('2026-11-05T09:30:00.000Z'));
  const dir = mkdtempSync(join(tmpdir(), 'uploads-media-'));
  const IMAGE_LIMIT = 64 * 1024;
  let harness: ServiceHarness;
  let s3: S3Client;
  let png: Buffer;
  let jpeg: Buffer;
  let mp4: Buffer;
  const S = 'u1';
  const elisa = `elisa-${S}`;
  const tom = `tom-${S}`;

  beforeAll(async () => {
    const make = (name: string, args: string[]) => {
      execFileSync('ffmpeg', ['-loglevel', 'error', '-y', ...args, join(dir, name)]);
      return readFileSync(join(dir, name));
    };
    png = make('work.png', ['-f', 'lavfi', '-i', 'testsrc=size=64x64', '-frames:v', '1']);
    jpeg = make('work.jpg', ['-f', 'lavfi', '-i', 'testsrc=size=64x64', '-frames:v', '1']);
    mp4 = make('check.mp4', ['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-f', 'lavfi', '-i', 'sine', '-t', '2', '-c:v', 'libx264', '-c:a', 'aac']);
    harness = await ServiceHarness.start({ clock, env: { UPLOAD_IMAGE_MAX_BYTES: String(IMAGE_LIMIT) } });
    s3 = createS3Client(harness.config, harness.s3.endpoint);
    await registerSession(harness, S, { zoomMeetingId: '81234567890', startsAt: '2026-11-05T09:00:00Z' });
  });

  afterAll(async () => {
    s3?.destroy();
    await harness?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const upload = (query: string, body: Buffer, contentType: string, roles = ['platform']) =>
    call(harness, 'POST', `/v1/uploads?${query}`, { roles, sub: 'platform-service', raw: body, contentType });
  const uploads = () => harness.query<{ id: string }>("SELECT id FROM artifacts WHERE kind IN ('image', 'verification_video')");
  const bucket = () => bucketFolderKeys(harness.s3Dir);
  const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  /** Nothing was kept: the bucket (as s3rver keeps it on disk) and the uploads are as before. */
  async function expectNothingKept<T extends { status: number }>(run: () => Promise<T>, status: number): Promise<T> {
    const [keys, rows] = [await bucket(), await uploads()];
    const res = await run();
    expect(res.status).toBe(status);
    expect(await bucket()).toEqual(keys);
    expect(await uploads()).toEqual(rows);
    return res;
  }

  describe('who may upload, and what is refused', () => {
    it('refuses a caller without a token (401) and a reviewer or tutor (403)', async () => {
      await expectNothingKept(() => call(harness, 'POST', `/v1/uploads?kind=image&sessionId=${S}&learnerIds=${elisa}`, { token: null, raw: png, contentType: 'image/png' }), 401);
      await expectNothingKept(() => upload(`kind=image&sessionId=${S}&learnerIds=${elisa}`, png, 'image/png', ['reviewer']), 403);
      await expectNothingKept(() => upload(`kind=image&sessionId=${S}&learnerIds=${elisa}`, png, 'image/png', ['tutor']), 403);
    });

    it('answers 404 for an unknown session and 400 for learners who are not learners of it', async () => {
      const unknown = await expectNothingKept(() => upload(`kind=image&sessionId=nope&learnerIds=${elisa}`, png, 'image/png'), 404);
      expect(unknown.body.message).toBe('session not found');
      const stranger = await expectNothingKept(() => upload(`kind=image&sessionId=${S}&learnerIds=tutor-${S}`, png, 'image/png'), 400);
      expect(stranger.body.message).toBe(`not learners of session ${S}: tutor-${S}`);
    });

    it('answers 400 for a missing or unknown kind, or no learners', async () => {
      await expectNothingKept(() => upload(`sessionId=${S}&learnerIds=${elisa}`, png, 'image/png'), 400);
      await expectNothingKept(() => upload(`kind=selfie&sessionId=${S}&learnerIds=${elisa}`, png, 'image/png'), 400);
      await expectNothingKept(() => upload(`kind=image&sessionId=${S}`, png, 'image/png'), 400);
    });
  });

  describe('images of pupils (POLICIES §4: only with written parental consent)', () => {
    it('refuses an image without the pictured learner’s images consent: 403, nothing stored', async () => {
      const res = await expectNothingKept(() => upload(`kind=image&sessionId=${S}&learnerIds=${elisa}`, png, 'image/png'), 403);
      expect(res.body.message).toBe(`no current images consent for pictured learner(s): ${elisa}`);
    });

    it('refuses an image unless EVERY pictured learner has consent', async () => {
      expect((await recordConsent(harness, elisa, { purpose: 'images', decision: 'grant', decidedBy: `parent-${S}`, reason: 'photo of the science project' })).status).toBe(201);
      const res = await expectNothingKept(() => upload(`kind=image&sessionId=${S}&learnerIds=${elisa},${tom}`, png, 'image/png'), 403);
      expect(res.body.message).toBe(`no current images consent for pictured learner(s): ${tom}`);
    });

    it('stores an image with consent, streamed as sent, removed 5 working days after upload', async () => {
      const before = await bucket();
      const res = await upload(`kind=image&sessionId=${S}&learnerIds=${elisa}`, png, 'image/png');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        kind: 'image',
        sessionId: S,
        status: 'stored',
        contentType: 'image/png',
        sizeBytes: png.length,
        sha256: sha256(png),
        personIds: [elisa],
        expiresAt: '2026-11-12T09:30:00.000Z',
        reviewDecision: null,
      });
      const [row] = await harness.query<{ storage_key: string; pictured_person_ids: string[]; retention_class: string; recording_id: string | null }>(
        'SELECT storage_key, pictured_person_ids, retention_class, recording_id FROM artifacts WHERE id = $1',
        [res.body.id],
      );
      expect(row).toMatchObject({ pictured_person_ids: [elisa], retention_class: 'image', recording_id: null });
      expect(row.storage_key).toMatch(/^u\/[0-9a-f]{32}\/[0-9a-f]{24}\.png$/);
      expect((await bucket()).filter((k) => !before.includes(k))).toEqual([row.storage_key]);
      const object = await s3.send(new GetObjectCommand({ Bucket: 'recordings', Key: row.storage_key }));
      expect(sha256(Buffer.from(await object.Body!.transformToByteArray()))).toBe(sha256(png));
      const audit = await harness.query<{ action: string; actor_id: string }>('SELECT action, actor_id FROM audit_log WHERE subject_id = $1', [res.body.id]);
      expect(audit).toEqual([{ action: 'upload.stored', actor_id: 'platform-service' }]);
    });

    it('accepts a JPEG too', async () => {
      const res = await upload(`kind=image&sessionId=${S}&learnerIds=${elisa}`, jpeg, 'image/jpeg');
      expect(res.status).toBe(201);
      expect(res.body.expiresAt).toBe('2026-11-12T09:30:00.000Z');
    });

    it.each([
      ['a video sent as image/png', () => mp4, 'image/png', 'unsupported media: the file is not a still image (png, jpeg, webp, …)'],
      ['text sent as image/png', () => Buffer.from('not a picture at all, just words'), 'image/png', 'unsupported media: the file is not an image or video ffprobe can read'],
      ['an image declared as a video type', () => png, 'video/mp4', 'unsupported media: an upload of kind image must be sent with Content-Type image/*, not video/mp4'],
    ])('refuses %s with 415, keeping nothing', async (_, body, type, message) => {
      const res = await expectNothingKept(() => upload(`kind=image&sessionId=${S}&learnerIds=${elisa}`, body(), type), 415);
      expect(res.body.message).toBe(message);
    });

    it('refuses a body of another type altogether with 415', async () => {
      const res = await expectNothingKept(() => upload(`kind=image&sessionId=${S}&learnerIds=${elisa}`, Buffer.from('a description, not a picture'), 'text/plain'), 415);
      expect(res.body.message).toBe('unsupported media: an upload of kind image must be sent with Content-Type image/*, not text/plain');
    });

    it('refuses an image over the size limit with 413, before reading it', async () => {
      const res = await expectNothingKept(() => upload(`kind=image&sessionId=${S}&learnerIds=${elisa}`, randomBytes(IMAGE_LIMIT + 1), 'image/png'), 413);
      expect(res.body.message).toBe(`the upload is larger than the ${IMAGE_LIMIT} bytes allowed for its kind`);
    });

    it('refuses an image over the size limit with 413 when its length was not announced, keeping nothing', async () => {
      const token = await harness.token(['platform'], 'platform-service');
      const chunks = [randomBytes(40 * 1024), randomBytes(40 * 1024)];
      const body = new ReadableStream({
        pull(controller) {
          const next = chunks.shift();
          if (next) controller.enqueue(next);
          else controller.close();
        },
      });
      await expectNothingKept(async () => {
        const res = await fetch(`${harness.baseUrl}/v1/uploads?kind=image&sessionId=${S}&learnerIds=${elisa}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
          body,
          duplex: 'half',
        } as RequestInit);
        await res.text();
        return res;
      }, 413);
    });

    it('deletes the images of a learner whose images consent is withdrawn', async () => {
      const [{ id, storage_key }] = await harness.query<{ id: string; storage_key: string }>(
        "SELECT id, storage_key FROM artifacts WHERE kind = 'image' AND status = 'stored' ORDER BY created_at LIMIT 1",
      );
      expect((await recordConsent(harness, elisa, { purpose: 'images', decision: 'withdraw', decidedBy: `parent-${S}`, reason: 'parents changed their mind' })).status).toBe(201);
      const [deleted] = await waitFor(
        async () => {
          const rows = await harness.query<{ status: string; reason: string }>('SELECT status, reason FROM artifacts WHERE id = $1', [id]);
          return rows[0].status === 'deleted' ? rows : null;
        },
        'image deleted after withdrawal',
        30_000,
      );
      expect(deleted.reason).toMatch(/^opt_out: images consent withdrawn for a pictured learner \(consent decision [0-9a-f-]{36}\)$/);
      expect(await bucket()).not.toContain(storage_key);
      // And no new image of her is taken.
      await expectNothingKept(() => upload(`kind=image&sessionId=${S}&learnerIds=${elisa}`, png, 'image/png'), 403);
    });
  });

  describe('verification videos (deleted once reviewed)', () => {
    let videoId: string;

    it('stores a verification video that expires 7 days after upload unless a review shortens it (issue 11 A.10)', async () => {
      const res = await upload(`kind=verification_video&sessionId=${S}&learnerIds=${tom}`, mp4, 'video/mp4');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ kind: 'verification_video', status: 'stored', sizeBytes: mp4.length, personIds: [tom], expiresAt: '2026-11-12T09:30:00.000Z', reviewDecision: null });
      videoId = res.body.id;
      const [row] = await harness.query<{ person_id: string }>('SELECT person_id FROM artifacts WHERE id = $1', [videoId]);
      expect(row.person_id).toBe(tom);
    });

    it('refuses a picture sent as a verification video (415) and a video for two learners (400)', async () => {
      await expectNothingKept(() => upload(`kind=verification_video&sessionId=${S}&learnerIds=${tom}`, png, 'video/mp4'), 415);
      await expectNothingKept(() => upload(`kind=verification_video&sessionId=${S}&learnerIds=${tom},${elisa}`, mp4, 'video/mp4'), 400);
    });

    it('takes review decisions from reviewers only', async () => {
      expect((await call(harness, 'POST', `/v1/uploads/${videoId}/review`, { roles: ['platform'], json: { decision: 'approved' } })).status).toBe(403);
      expect((await call(harness, 'POST', `/v1/uploads/${videoId}/review`, { token: null, json: { decision: 'approved' } })).status).toBe(401);
      expect((await call(harness, 'POST', `/v1/uploads/${videoId}/review`, { roles: ['reviewer'], json: { decision: 'maybe' } })).status).toBe(400);
    });

    it('starts the deletion clock at the review decision: deleted one day later by default', async () => {
      clock.advance(3 * 3600_000);
      const res = await call(harness, 'POST', `/v1/uploads/${videoId}/review`, { roles: ['reviewer'], sub: 'reviewer-kim', json: { decision: 'approved' } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ reviewDecision: 'approved', reviewedAt: '2026-11-05T12:30:00.000Z', expiresAt: '2026-11-06T12:30:00.000Z' });
      const [row] = await harness.query<{ reviewed_by: string }>('SELECT reviewed_by FROM artifacts WHERE id = $1', [videoId]);
      expect(row.reviewed_by).toBe('reviewer-kim');
      const audit = await harness.query<{ details: Record<string, unknown> }>("SELECT details FROM audit_log WHERE action = 'upload.reviewed' AND subject_id = $1", [videoId]);
      expect(audit).toEqual([{ details: { kind: 'verification_video', decision: 'approved' } }]);
    });

    it('records one decision only, reviews only verification videos, and answers 404 for unknown ids', async () => {
      const again = await call(harness, 'POST', `/v1/uploads/${videoId}/review`, { roles: ['reviewer'], json: { decision: 'rejected' } });
      expect(again.status).toBe(409);
      expect(again.body.message).toBe('cannot review: already reviewed (approved)');
      const [image] = await harness.query<{ id: string }>("SELECT id FROM artifacts WHERE kind = 'image' LIMIT 1");
      expect((await call(harness, 'POST', `/v1/uploads/${image.id}/review`, { roles: ['reviewer'], json: { decision: 'approved' } })).status).toBe(409);
      expect((await call(harness, 'POST', '/v1/uploads/00000000-0000-4000-8000-000000000000/review', { roles: ['reviewer'], json: { decision: 'approved' } })).status).toBe(404);
      expect((await call(harness, 'POST', '/v1/uploads/not-a-uuid/review', { roles: ['reviewer'], json: { decision: 'approved' } })).status).toBe(404);
    });
  });
});
