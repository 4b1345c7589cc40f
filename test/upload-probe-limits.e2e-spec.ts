import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '@lib/clock';
import { call } from './support/api-client';
import { recordConsent, registerSession } from './support/builders';
import { bucketFolderKeys } from './support/bucket';
import { ServiceHarness } from './support/harness';

/**
 * ffprobe on uploaded bytes (issue 11 A.7, docs/security.md): an upload is probed with only the
 * pipe protocol and the containers we accept, and pictures are bounded in size. A playlist that
 * names URLs makes ffprobe fetch none of them, and anything outside the allow-list is refused
 * with 415, nothing kept.
 */
describe('uploads probed with a protocol and container allow-list and a picture bound', () => {
  const clock = new FixedClock(new Date('2026-11-05T09:30:00.000Z'));
  const dir = mkdtempSync(join(tmpdir(), 'upload-probe-'));
  const S = 'probe1';
  const learner = `elisa-${S}`;
  let harness: ServiceHarness;
  let decoy: Server;
  let decoyUrl = '';
  const decoyRequests: string[] = [];

  const make = (name: string, args: string[]) => {
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', ...args, join(dir, name)]);
    return readFileSync(join(dir, name));
  };

  beforeAll(async () => {
    decoy = createServer((req, res) => {
      decoyRequests.push(req.url ?? '');
      res.end();
    });
    await new Promise<void>((resolve) => decoy.listen(0, '127.0.0.1', resolve));
    decoyUrl = `http://127.0.0.1:${(decoy.address() as AddressInfo).port}`;
    harness = await ServiceHarness.start({ clock, env: { MEDIA_MAX_IMAGE_PIXELS: String(100 * 100) } });
    await registerSession(harness, S, { zoomMeetingId: '81234567891', startsAt: '2026-11-05T09:00:00Z' });
  });

  afterAll(async () => {
    await harness?.stop();
    await new Promise((resolve) => decoy.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const upload = (kind: string, body: Buffer, contentType: string) =>
    call(harness, 'POST', `/v1/uploads?kind=${kind}&sessionId=${S}&learnerIds=${learner}`, { roles: ['platform'], sub: 'platform-service', raw: body, contentType });

  async function expectRefusedAndNothingKept(kind: string, body: Buffer, contentType: string) {
    const keys = await bucketFolderKeys(harness.s3Dir);
    const res = await upload(kind, body, contentType);
    expect(res.status).toBe(415);
    expect(res.body.message).toMatch(/^unsupported media: /);
    expect(await bucketFolderKeys(harness.s3Dir)).toEqual(keys);
    expect(await harness.query("SELECT id FROM artifacts WHERE kind IN ('image', 'verification_video')")).toEqual([]);
  }

  it('refuses an HLS playlist sent as a video with 415, and its decoy URLs see no request', async () => {
    const playlist = [
      '#EXTM3U',
      '#EXT-X-VERSION:3',
      '#EXT-X-TARGETDURATION:2',
      '#EXTINF:2.0,',
      `${decoyUrl}/segment-0.ts`,
      '#EXTINF:2.0,',
      `${decoyUrl}/segment-1.ts`,
      '#EXT-X-ENDLIST',
      '',
    ].join('\n');
    await expectRefusedAndNothingKept('verification_video', Buffer.from(playlist), 'video/mp4');
    expect(decoyRequests).toEqual([]);
  });

  it('refuses a video in a container outside the allow-list (MPEG-TS) with 415', async () => {
    const ts = make('clip.ts', ['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-t', '1', '-c:v', 'libx264', '-f', 'mpegts']);
    await expectRefusedAndNothingKept('verification_video', ts, 'video/mp2t');
  });

  it('refuses a picture with more pixels than MEDIA_MAX_IMAGE_PIXELS with 415', async () => {
    expect((await recordConsent(harness, learner, { purpose: 'images', decision: 'grant', decidedBy: `parent-${S}`, reason: 'photo of the project' })).status).toBe(201);
    const big = make('big.png', ['-f', 'lavfi', '-i', 'testsrc=size=200x200', '-frames:v', '1']);
    await expectRefusedAndNothingKept('image', big, 'image/png');
    const small = make('small.png', ['-f', 'lavfi', '-i', 'testsrc=size=64x64', '-frames:v', '1']);
    expect((await upload('image', small, 'image/png')).status).toBe(201);
  });
});
