import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { launchChromium } from '../test/support/browser';
import { registerSession } from '../test/support/builders';
import { ServiceHarness } from '../test/support/harness';
import { talkFigures, TalkShape } from '../test/support/talk-time-figures';
import { seedRecording, seedTalkTimeReport } from '../test/support/talk-time-rows';

const DAY = 24 * 3600_000;
const LEARNERS = [
  { personId: 'learner-elisa', displayName: 'Elisa L', minor: true },
  { personId: 'learner-tom', displayName: 'Tom K', minor: true },
];
/** The tutor's last six sessions, oldest first: talking a little less and asking more each week. */
const WEEKS: Array<Pick<TalkShape, 'sessionSeconds' | 'tutorLean' | 'questions' | 'meanWaitSeconds' | 'longestMonologueSeconds'> & { tom: number }> = [
  { sessionSeconds: 50 * 60, tutorLean: 0.74, questions: 9, meanWaitSeconds: 1.4, longestMonologueSeconds: 412, tom: 3 },
  { sessionSeconds: 45 * 60, tutorLean: 0.71, questions: 11, meanWaitSeconds: 1.6, longestMonologueSeconds: 380, tom: 4 },
  { sessionSeconds: 52 * 60, tutorLean: 0.7, questions: 12, meanWaitSeconds: 1.9, longestMonologueSeconds: 333, tom: 2 },
  { sessionSeconds: 48 * 60, tutorLean: 0.66, questions: 15, meanWaitSeconds: 2.2, longestMonologueSeconds: 290, tom: 4 },
  { sessionSeconds: 40 * 60, tutorLean: 0.64, questions: 14, meanWaitSeconds: 2.6, longestMonologueSeconds: 262, tom: 5 },
  { sessionSeconds: 55 * 60, tutorLean: 0.6, questions: 18, meanWaitSeconds: 2.9, longestMonologueSeconds: 228, tom: 0 },
];

/**
 * The service as the test harness runs it (own database, analysis off so nothing replaces the
 * seeded reports), six analysed sessions of one tutor with two learners — the newest 55 minutes
 * long, 11 bins, Tom silent — and four of other tutors in the same programme for its median; the
 * tutor's own feedback page in Chromium.
 */
export async function main(out: string): Promise<void> {
  let harness: ServiceHarness | null = null;
  let browser: Awaited<ReturnType<typeof launchChromium>> | null = null;
  try {
    harness = await ServiceHarness.start({ env: { TALK_TIME_ANALYSIS: 'false' } });
    const seed = async (id: string, roster: object, daysAgo: number, shape: TalkShape) => {
      const startsAt = new Date(Math.floor((Date.now() - daysAgo * DAY) / 3600_000) * 3600_000);
      await registerSession(harness!, id, { ...roster, startsAt: startsAt.toISOString(), program: 'gcse-maths' });
      const recordingId = await seedRecording(harness!, id, startsAt, Math.ceil(shape.sessionSeconds / 60));
      await seedTalkTimeReport(harness!, { recordingId, figures: talkFigures(shape) });
    };
    const roster = { tutor: { personId: 'tutor-demo', displayName: 'Ms Rivera' }, learners: LEARNERS, parents: [] };
    for (const [i, w] of WEEKS.entries()) {
      const learners = [
        { personId: 'learner-elisa', weight: 6 },
        { personId: 'learner-tom', weight: w.tom },
      ];
      await seed(`demo-${i}`, roster, 7 * (WEEKS.length - i) - 6, { ...w, tutorId: 'tutor-demo', learners });
    }
    for (const [i, lean] of [0.45, 0.52, 0.5, 0.58].entries()) {
      const other = { tutor: { personId: `tutor-other-${i}`, displayName: 'Another tutor' }, learners: [{ personId: `learner-o${i}`, displayName: 'Sam', minor: true }], parents: [] };
      await seed(`other-${i}`, other, 3 + i, {
        sessionSeconds: 50 * 60, tutorId: `tutor-other-${i}`, tutorLean: lean, learners: [{ personId: `learner-o${i}`, weight: 1 }],
        questions: 20 + i, meanWaitSeconds: 3 + i / 4, longestMonologueSeconds: 150 + 15 * i,
      });
    }
    browser = await launchChromium({ width: 1280, height: 905 });
    const page = await browser.context.newPage();
    await page.goto(`${harness.baseUrl}/feedback/tutor-demo#token=${await harness.token(['tutor'], 'tutor-demo')}`);
    await page.waitForSelector('#status[data-state=ready]');
    await mkdir(dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    process.stderr.write(`screenshots: saved ${out}\n`);
  } finally {
    await browser?.close();
    await harness?.stop();
  }
}
