import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { registerSession } from './support/builders';
import { ServiceHarness } from './support/harness';
import { talkFigures, TalkFigures } from './support/talk-time-figures';
import { seedRecording, seedTalkTimeReport } from './support/talk-time-rows';

/**
 * Issue 13 item 5, real browser: Debian's Chromium opens a tutor's feedback page. Sessions are
 * registered through the API, their reports seeded as analysis stores them (analysis is off, so
 * nothing replaces them). Tutor A sees their own sessions, each with one bar per 5-minute bin;
 * tutor B opening A's page sees only the refusal; a reviewer sees A's; a tutor with no analysed
 * session and a viewer without a valid token each get a plain message.
 */
const DAY = 24 * 3600_000;
const ROSTER = {
  tutor: { personId: 'tutor-ana', displayName: 'Ms Rivera', email: 'ms.rivera@tutoring.example' },
  learners: [
    { personId: 'learner-elisa', displayName: 'Elisa L', minor: true },
    { personId: 'learner-tom', displayName: 'Tom K', minor: true },
  ],
  parents: [],
};
const pct = (share: number) => `${Math.round(share * 100)}%`;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

describe('the feedback page in a real browser', () => {
  let harness: ServiceHarness;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  /** Tutor A's sessions, newest first, as seeded. */
  const sessionsOfA: Array<{ recordingId: string; figures: TalkFigures }> = [];
  let shareOfB: number;

  async function seedSession(id: string, roster: object, daysAgo: number, figures: TalkFigures): Promise<string> {
    const startsAt = new Date(Date.now() - daysAgo * DAY);
    await registerSession(harness, id, { ...roster, startsAt: startsAt.toISOString(), program: 'gcse-maths' });
    const recordingId = await seedRecording(harness, id, startsAt, Math.ceil(figures.metrics.sessionSeconds / 60));
    await seedTalkTimeReport(harness, { recordingId, figures });
    return recordingId;
  }

  beforeAll(async () => {
    harness = await ServiceHarness.start({ env: { TALK_TIME_ANALYSIS: 'false' } });
    browser = await launchChromium();
    const learners = (tom: number) => [
      { personId: 'learner-elisa', weight: 7 },
      { personId: 'learner-tom', weight: tom },
    ];
    // Newest first: 55 min (11 bins, Tom silent), 42 min (9 bins), 30 min (6 bins).
    const shapes = [
      { daysAgo: 1, sessionSeconds: 55 * 60, tutorLean: 0.62, learners: learners(0) },
      { daysAgo: 8, sessionSeconds: 42 * 60, tutorLean: 0.7, learners: learners(3) },
      { daysAgo: 15, sessionSeconds: 30 * 60, tutorLean: 0.55, learners: learners(4) },
    ];
    for (const [i, s] of shapes.entries()) {
      const figures = talkFigures({ ...s, tutorId: 'tutor-ana', questions: 12 + i, meanWaitSeconds: 2.4, longestMonologueSeconds: 190 + 20 * i });
      sessionsOfA.push({ recordingId: await seedSession(`fb-a-${i}`, ROSTER, s.daysAgo, figures), figures });
    }
    const b = talkFigures({ sessionSeconds: 50 * 60, tutorId: 'tutor-ben', tutorLean: 0.4, learners: [{ personId: 'learner-zoe', weight: 1 }], questions: 20, meanWaitSeconds: 3, longestMonologueSeconds: 90 });
    shareOfB = b.metrics.tutorShare!;
    await seedSession('fb-b-0', { tutor: { personId: 'tutor-ben', displayName: 'Mr Okafor' }, learners: [{ personId: 'learner-zoe', displayName: 'Zoe P', minor: true }], parents: [] }, 3, b);
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.stop();
  });

  /** Opens the page and waits until it has said where it stands; collects console output and request paths. */
  async function open(tutorId: string, token: string | null): Promise<{ page: Page; state: string | null; console: string[]; requests: string[] }> {
    const page = await browser.context.newPage();
    const consoleLines: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => void consoleLines.push(m.text()));
    page.on('request', (r) => void requests.push(r.url()));
    await page.goto(`${harness.baseUrl}/feedback/${tutorId}${token === null ? '' : `#token=${token}`}`);
    await page.waitForSelector('#status:not([data-state=loading])', { timeout: 10_000 });
    return { page, state: await page.getAttribute('#status', 'data-state'), console: consoleLines, requests };
  }

  it('shows the tutor their sessions newest first, their share in words, and one bar per 5-minute bin', async () => {
    const token = await harness.token(['tutor'], 'tutor-ana');
    const { page, state, console: lines, requests } = await open('tutor-ana', token);
    expect(state).toBe('ready');
    const cards = page.locator('article.session');
    expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-recording-id')))).toEqual(sessionsOfA.map((s) => s.recordingId));

    const newest = cards.first();
    const { figures } = sessionsOfA[0];
    expect(await newest.locator('.share dd').textContent()).toContain(`You talked ${pct(figures.metrics.tutorShare!)} of the time`);
    expect(await newest.locator('.learners dd').textContent()).toBe('Elisa L 100% · Tom K 0% of learner talk');
    expect(await newest.locator('.silent dd').textContent()).toBe('Tom K');
    const chart = newest.locator('svg.talk-chart');
    expect(await chart.getAttribute('role')).toBe('img');
    expect(await chart.locator('title').first().textContent()).toMatch(/^Talk over time: 11 bars, one per 5 minutes of a 55-minute session\./);
    expect(await chart.locator('g.bin').count()).toBe(figures.metrics.bins.length);
    expect(figures.metrics.bins.length).toBe(11);
    // The stack reflects the data: in each bar, the tutor's part against the learners' part.
    const heights = await chart.locator('g.bin').evaluateAll((groups) =>
      groups.map((g) => ({ tutor: Number(g.querySelector('rect.tutor')?.getAttribute('height')), learners: Number(g.querySelector('rect.learners')?.getAttribute('height')) })),
    );
    heights.forEach((h, i) => {
      const bin = figures.metrics.bins[i];
      expect(h.tutor / h.learners).toBeCloseTo(bin.tutorSeconds / bin.learnerSeconds, 1);
    });
    expect(await cards.nth(1).locator('g.bin').count()).toBe(sessionsOfA[1].figures.metrics.bins.length);
    expect(await page.locator('.legend').first().textContent()).toBe('TutorLearnersParentsUnattributed');

    const shares = sessionsOfA.map((s) => s.figures.metrics.tutorShare!);
    expect(await page.locator('.trend[data-metric=tutorShare] .sentence').textContent()).toBe(
      `You talked ${pct(mean(shares))} of the time; programme median ${pct(median([...shares, shareOfB]))}.`,
    );
    expect(await page.locator('#tutor-name').textContent()).toBe('Ms Rivera');

    expect(lines.filter((l) => /Content Security Policy|Refused to/.test(l))).toEqual([]);
    // Names and the token stay on the page: none in what it logs or in any address it asks for.
    for (const text of [...lines, ...requests.map((u) => u.split('#')[0])]) {
      expect(text).not.toContain(token);
      expect(text).not.toMatch(/Elisa|Tom K|Rivera/);
    }
    expect(requests.map((u) => new URL(u).pathname).sort()).toEqual(
      ['/assets/feedback.css', '/assets/feedback.js', '/assets/page-kit.js', '/assets/talk-chart.js', '/feedback/tutor-ana', '/v1/tutors/tutor-ana/feedback'].sort(),
    );
    await page.close();
  });

  it('tells tutor B they can only see their own feedback, and shows nothing of tutor A', async () => {
    const { page, state } = await open('tutor-ana', await harness.token(['tutor'], 'tutor-ben'));
    expect(state).toBe('forbidden');
    expect(await page.locator('#status').textContent()).toBe('You can only see your own feedback.');
    expect(await page.locator('article.session, .trend').count()).toBe(0);
    expect(await page.locator('#sessions').isHidden()).toBe(true);
    expect(await page.locator('body').textContent()).not.toMatch(/Elisa|Rivera|talked/);
    await page.close();
  });

  it('shows a reviewer any tutor’s feedback, worded about the tutor', async () => {
    const { page, state } = await open('tutor-ana', await harness.token(['reviewer'], 'reviewer-4'));
    expect(state).toBe('ready');
    expect(await page.locator('article.session').count()).toBe(sessionsOfA.length);
    expect(await page.locator('article.session .share dd').first().textContent()).toContain(`The tutor talked ${pct(sessionsOfA[0].figures.metrics.tutorShare!)}`);
    await page.close();
  });

  it('says so when the tutor has no analysed session yet', async () => {
    const { page, state } = await open('tutor-new', await harness.token(['tutor'], 'tutor-new'));
    expect(state).toBe('empty');
    expect(await page.locator('#status').textContent()).toMatch(/^No sessions analysed yet\./);
    await page.close();
  });

  it('asks for a fresh sign-in when the token is missing or not valid', async () => {
    const missing = await open('tutor-ana', null);
    expect(missing.state).toBe('unauthorised');
    expect(missing.requests.some((u) => u.includes('/v1/'))).toBe(false);
    const invalid = await open('tutor-ana', 'not.a-valid.token');
    expect(invalid.state).toBe('unauthorised');
    expect(await invalid.page.locator('#status').textContent()).toMatch(/sign-in is missing or has expired/);
    await Promise.all([missing.page.close(), invalid.page.close()]);
  });

  it('is served as a page for people: strict CSP, the per-source limit, 404 for a malformed tutor id', async () => {
    const res = await fetch(`${harness.baseUrl}/feedback/tutor-ana`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self';.*style-src 'self';/);
    expect(res.headers.get('x-ratelimit-limit')).not.toBeNull();
    expect(await res.text()).not.toMatch(/<script>|<style>| style=/);
    expect((await fetch(`${harness.baseUrl}/feedback/${encodeURIComponent('<b>x</b>')}`)).status).toBe(404);
  });
});
