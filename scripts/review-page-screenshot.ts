import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FakeZoomHost, generateSampleMedia, randomMeetingId } from '@lib/zoom-simulator';
import { launchChromium } from '../test/support/browser';
import { deliverRecording, registerSession, zoomHostEnv } from '../test/support/builders';
import { ServiceHarness } from '../test/support/harness';
import { s3Of } from '../test/support/bucket';
import { seedStream } from '../test/support/streams';
import { talkFigures } from '../test/support/talk-time-figures';
import { seedSafetyFlag, seedTalkTimeReport } from '../test/support/talk-time-rows';

/**
 * The service as the test harness runs it (own database, embedded S3, loopback), a recording of the
 * sample roster, its stream, its talk time and two safety flags (seeded as analysis stores them;
 * analysis is off so nothing replaces them), and the review page opened in Chromium a few seconds
 * into playback.
 */
export async function main(out: string): Promise<void> {
  const host = new FakeZoomHost();
  const dir = await mkdtemp(join(tmpdir(), 'screenshot-'));
  let harness: ServiceHarness | null = null;
  let browser: Awaited<ReturnType<typeof launchChromium>> | null = null;
  try {
    const [media] = await Promise.all([generateSampleMedia(join(dir, 'media'), { seconds: 12 }), host.start()]);
    harness = await ServiceHarness.start({ env: { ...zoomHostEnv(host), TALK_TIME_ANALYSIS: 'false' } });
    const meetingId = randomMeetingId();
    await registerSession(harness, 'demo', { zoomMeetingId: String(meetingId) });
    const { id } = await deliverRecording(harness, host, media, { meetingId });
    await seedStream(harness, s3Of(harness), id, { source: media.video.path });
    const [chat] = await harness.query<{ id: string }>("SELECT id FROM artifacts WHERE recording_id = $1 AND kind = 'chat'", [id]);
    const figures = talkFigures({
      sessionSeconds: 48 * 60, tutorId: 'tutor-demo', tutorLean: 0.64, questions: 14, meanWaitSeconds: 2.2, longestMonologueSeconds: 262,
      learners: [{ personId: 'elisa-demo', weight: 5 }, { personId: 'tom-demo', weight: 2 }],
    });
    await seedTalkTimeReport(harness, { recordingId: id, figures });
    const flag = { recordingId: id, artifactId: chat.id, source: 'chat' as const, sender: { personId: 'tutor-demo', role: 'tutor' } };
    await seedSafetyFlag(harness, { ...flag, line: 14, offsetSeconds: 1312, kind: 'phone', direct: true, recipient: { personId: 'elisa-demo', role: 'learner' }, breach: true });
    await seedSafetyFlag(harness, { ...flag, line: 22, offsetSeconds: 2650, kind: 'email', direct: false, recipient: { personId: 'parent-demo', role: 'parent' }, breach: false, coveredBy: 'parent' });
    browser = await launchChromium({ width: 1280, height: 920 });
    const page = await browser.context.newPage();
    await page.goto(`${harness.baseUrl}/review/${id}#token=${await harness.token(['reviewer'], 'reviewer-17')}`);
    await page.locator('#cues li.cue').first().waitFor();
    await page.waitForSelector('#safety-flags[data-state=ready]');
    // Playing a few seconds in when the playback routes answer; the page as it is otherwise.
    await page
      .waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { currentTime: number } } }).document.querySelector('video').currentTime > 3, undefined, { timeout: 15_000 })
      .catch(() => process.stderr.write('screenshots: the stream did not play (are the playback routes merged?); saving the page as it is\n'));
    await mkdir(dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    process.stderr.write(`screenshots: saved ${out}\n`);
  } finally {
    await browser?.close();
    await host.stop();
    await harness?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
