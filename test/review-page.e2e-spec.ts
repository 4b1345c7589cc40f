import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Response } from 'playwright-core';
import { FakeZoomHost, generateSampleMedia, randomMeetingId, SampleMedia } from '@lib/zoom-simulator';
import { call } from './support/api-client';
import { launchChromium } from './support/browser';
import { deliverRecording, registerSession, zoomHostEnv } from './support/builders';
import { ServiceHarness } from './support/harness';
import { s3Of } from './support/bucket';
import { seedStream } from './support/streams';
import { talkFigures } from './support/talk-time-figures';
import { seedSafetyFlag, seedTalkTimeReport } from './support/talk-time-rows';

/**
 * Issue 12, real browser: Debian's Chromium opens the review page for a generated recording, plays
 * the encrypted stream past 2 s, seeks by clicking a transcript line, records a safety outcome whose
 * hold the API then shows, and receives nothing but playlists, encrypted segments, the key via its
 * token and the page's own assets. Needs the playback routes (POST /v1/recordings/{id}/playback,
 * /v1/playback/<token>/…) of the playback branch. Issue 13: the page shows the recording's talk
 * time and safety flags, seeded as analysis stores them (analysis is off, so nothing replaces them).
 */
/** Run inside the page (a function, not a string: the page's CSP forbids eval); no DOM types here, hence the cast. */
type InPage = { document: { querySelector(s: string): { currentTime: number } } };

describe('the review page in a real browser', () => {
  const host = new FakeZoomHost();
  let dir: string;
  let media: SampleMedia;
  let harness: ServiceHarness;
  let browser: { context: BrowserContext; close: () => Promise<void> };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'review-page-'));
    [media] = await Promise.all([generateSampleMedia(join(dir, 'media'), { seconds: 12 }), host.start()]);
    harness = await ServiceHarness.start({ env: { ...zoomHostEnv(host), TALK_TIME_ANALYSIS: 'false' } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await host.stop();
    await harness?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('plays, seeks from the transcript, records a safety hold, and never receives a whole media file', async () => {
    const { id } = await deliverRecording(harness, host, media, { meetingId: randomMeetingId() });
    await seedStream(harness, s3Of(harness), id, { source: media.video.path });
    const page = await browser.context.newPage();
    const received: Array<{ url: string; status: number; type: string; bytes: number }> = [];
    const pending: Promise<void>[] = [];
    page.on('response', (res: Response) => {
      pending.push(
        res.body().then(
          (body) => void received.push({ url: new URL(res.url()).pathname, status: res.status(), type: res.headers()['content-type'] ?? '', bytes: body.length }),
          () => void received.push({ url: new URL(res.url()).pathname, status: res.status(), type: res.headers()['content-type'] ?? '', bytes: 0 }),
        ),
      );
    });
    const token = await harness.token(['reviewer', 'safety'], 'reviewer-17');
    await page.goto(`${harness.baseUrl}/review/${id}#token=${token}`);

    await expect(page.locator('#overlay-viewer').textContent()).resolves.toBe('reviewer-17');
    await page.waitForFunction(() => (globalThis as unknown as InPage).document.querySelector('video').currentTime > 2, undefined, { timeout: 30_000 });

    const cues = page.locator('#cues li.cue');
    await cues.first().waitFor();
    const last = cues.last();
    const start = Number(await last.getAttribute('data-start'));
    expect(start).toBeGreaterThan(3);
    await last.click();
    await page.waitForFunction((s) => Math.abs((globalThis as unknown as InPage).document.querySelector('video').currentTime - s) < 1.5, start, { timeout: 10_000 });
    await page.waitForSelector('#cues li.cue.current');

    await page.check('input[name=outcome][value=safety]');
    await page.fill('#note', 'raised voice');
    await page.click('#submit-outcome');
    const holdId = await (await page.waitForSelector('#outcome-result[data-hold-id]')).getAttribute('data-hold-id');
    const recording = await call(harness, 'GET', `/v1/recordings/${id}`, { roles: ['reviewer'] });
    expect(recording.body.holds.map((h: { id: string }) => h.id)).toContain(holdId);

    await page.close();
    await Promise.all(pending);
    const allowed = (r: (typeof received)[number]) =>
      /^\/v1\/playback\/[^/]+\/(index\.m3u8|seg-\d{5}\.ts|key|poster\.jpg)$/.test(r.url) ||
      /^\/(review\/[0-9a-f-]{36}|assets\/(hls\.min\.js|page-kit\.js|review\.js|review-facts\.js|review\.css))$/.test(r.url) ||
      /^\/v1\/recordings\/[0-9a-f-]{36}\/(playback|transcript|reviews|talk-time|safety-flags)$/.test(r.url);
    expect(received.filter((r) => !allowed(r))).toEqual([]);
    expect(received.filter((r) => /video\/mp4|audio\/mp4/.test(r.type) || r.bytes > 2 * 1024 * 1024 || /amazonaws|:\/\/s3/.test(r.url))).toEqual([]);
    expect(received.some((r) => /seg-\d{5}\.ts$/.test(r.url) && r.status === 200)).toBe(true);
    expect(received.some((r) => /\/key$/.test(r.url) && r.status === 200 && r.bytes === 16)).toBe(true);
  });

  it('shows the talk-time summary and the safety flags; a volunteer reviewer sees talk time but no flags panel', async () => {
    const meetingId = randomMeetingId();
    const sessionId = `talk-${meetingId}`;
    await registerSession(harness, sessionId, { zoomMeetingId: String(meetingId) });
    const { id } = await deliverRecording(harness, host, media, { meetingId });
    const page = await browser.context.newPage();
    await page.goto(`${harness.baseUrl}/review/${id}#token=${await harness.token(['reviewer', 'safety'], 'reviewer-17')}`);
    await page.waitForSelector('#talk-time[data-state=none]');
    expect(await page.locator('#talk-time').textContent()).toBe('No talk-time analysis yet.');
    await page.waitForSelector('#safety-flags[data-state=none]');

    const [transcript] = await harness.query<{ id: string }>("SELECT id FROM artifacts WHERE recording_id = $1 AND kind = 'transcript'", [id]);
    const [chat] = await harness.query<{ id: string }>("SELECT id FROM artifacts WHERE recording_id = $1 AND kind = 'chat'", [id]);
    const figures = talkFigures({
      sessionSeconds: 45 * 60, tutorId: `tutor-${sessionId}`, tutorLean: 0.6, questions: 10, meanWaitSeconds: 2, longestMonologueSeconds: 200,
      learners: [{ personId: `elisa-${sessionId}`, weight: 3 }, { personId: `tom-${sessionId}`, weight: 1 }],
    });
    await seedTalkTimeReport(harness, { recordingId: id, sourceArtifactIds: [transcript.id], figures });
    const flag = { recordingId: id, artifactId: chat.id, source: 'chat' as const, sender: { personId: `tutor-${sessionId}`, role: 'tutor' } };
    await seedSafetyFlag(harness, { ...flag, line: 9, offsetSeconds: 300, kind: 'email', direct: false, recipient: { personId: `parent-${sessionId}`, role: 'parent' }, breach: false, coveredBy: 'parent' });
    await seedSafetyFlag(harness, { ...flag, line: 7, offsetSeconds: 245, kind: 'phone', direct: true, recipient: { personId: `elisa-${sessionId}`, role: 'learner' }, breach: true });

    await page.reload();
    await page.waitForSelector('#talk-time[data-state=ready]');
    expect(await page.locator('#talk-time .share').textContent()).toMatch(new RegExp(`^${Math.round(figures.metrics.tutorShare! * 100)}% tutor share`));
    expect(await page.locator('#talk-time .learner-shares li').allTextContents()).toEqual(['Elisa L 75% of learner talk', 'Tom K 25% of learner talk']);
    expect(await page.locator('#talk-time .source').textContent()).toBe('Source: transcript · 45 min');
    await page.waitForSelector('#safety-flags[data-state=ready]');
    const flags = page.locator('#safety-flags li.flag');
    expect(await flags.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).toEqual(['phone', 'email']); // breaches first
    expect(await flags.allTextContents()).toEqual([
      'breachphone numberchat log, line 7 (4:05)tutor → learner (direct message)',
      'covered: parentemail addresschat log, line 9 (5:00)tutor → parent',
    ]);
    await page.close();

    const assigned = await call(harness, 'POST', '/v1/reviews/assignments', { roles: ['reviewer'], json: { recordingId: id, reviewerId: 'volunteer-3', team: 'peer_review' } });
    expect(assigned.status).toBe(201);
    const volunteer = await browser.context.newPage();
    await volunteer.goto(`${harness.baseUrl}/review/${id}#token=${await harness.token(['volunteer_reviewer'], 'volunteer-3')}`);
    await volunteer.waitForSelector('#talk-time[data-state=ready]');
    await volunteer.waitForSelector('#safety-flags[data-state=forbidden]', { state: 'attached' });
    expect(await volunteer.locator('#flags-panel').isHidden()).toBe(true);
    await volunteer.close();
  });
});
