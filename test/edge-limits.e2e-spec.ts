import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { ServiceHarness } from './support/harness';
import { freePort } from './support/ports';
import { waitFor } from './support/wait';

/**
 * Floods at the unauthenticated edge (issue 11 A.11, docs/security.md): past
 * HTTP_PUBLIC_RATE_LIMIT_MAX requests per window from one source, the webhook answers 429; and
 * refusals (401, 429) are logged once per source per interval with a count, not once each.
 */
const unsigned = (url: string, source?: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': '1', 'x-zm-signature': 'v0=forged', ...(source ? { 'x-forwarded-for': source } : {}) },
    body: '{"event":"recording.completed"}',
  }).then(async (res) => {
    await res.arrayBuffer();
    return res.status;
  });

async function burst(count: number, send: () => Promise<number>): Promise<Record<number, number>> {
  const tally: Record<number, number> = {};
  // In sequence: the limit is what is tested, not the server's concurrency.
  for (let i = 0; i < count; i++) {
    const status = await send();
    tally[status] = (tally[status] ?? 0) + 1;
  }
  return tally;
}

describe('per-source limit on unauthenticated routes', () => {
  let harness: ServiceHarness;

  beforeAll(async () => {
    harness = await ServiceHarness.start({ runMode: 'api', env: { HTTP_PUBLIC_RATE_LIMIT_MAX: '20', HTTP_PUBLIC_RATE_LIMIT_WINDOW_MS: '60000' } });
  });
  afterAll(async () => harness?.stop());

  it('answers 429 past the limit from 127.0.0.1, with Retry-After, and never reaches the handler', async () => {
    const url = `${harness.baseUrl}/webhooks/zoom`;
    expect(await burst(30, () => unsigned(url))).toEqual({ 401: 20, 429: 10 });
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await res.json()).toMatchObject({ statusCode: 429, message: expect.stringMatching(/^too many requests from this source/) });
  });

  it('counts each source apart (a forwarding proxy on loopback is trusted for X-Forwarded-For)', async () => {
    const url = `${harness.baseUrl}/webhooks/zoom`;
    expect(await burst(21, () => unsigned(url, '198.51.100.7'))).toEqual({ 401: 20, 429: 1 });
    expect(await burst(5, () => unsigned(url, '198.51.100.8'))).toEqual({ 401: 5 });
  });

  it('leaves health checks and authenticated routes unlimited', async () => {
    expect(await burst(40, () => fetch(`${harness.baseUrl}/health`).then((r) => r.status))).toEqual({ 200: 40 });
    expect(await burst(30, () => fetch(`${harness.baseUrl}/v1/recordings?unmatched=true`).then((r) => r.status))).toEqual({ 401: 30 });
  });
});

describe('refusal logs under a flood (the built service, its stdout counted)', () => {
  let harness: ServiceHarness;

  beforeAll(async () => {
    execFileSync(process.execPath, [path.resolve(__dirname, '../scripts/build.js')], { stdio: ['ignore', 'ignore', 'inherit'] });
    // Only the database and bucket of a harness; the service under test is the spawned one.
    harness = await ServiceHarness.start({ runMode: 'api' });
  }, 300_000);
  afterAll(async () => harness?.stop());

  it('logs a burst of 401s and 429s from one source in at most a few lines, with their count', async () => {
    const port = await freePort();
    const child = harness.spawnService({
      RUN_MODE: 'api',
      PORT: String(port),
      LOG_LEVEL: 'info',
      HTTP_PUBLIC_RATE_LIMIT_MAX: '10',
      HTTP_REFUSAL_LOG_INTERVAL_MS: '3000',
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${base}/health`)).status === 200, 'the spawned service', 60_000, 200);

    expect(await burst(100, () => unsigned(`${base}/webhooks/zoom`))).toEqual({ 401: 10, 429: 90 });
    expect(await burst(100, () => fetch(`${base}/v1/recordings?unmatched=true`, { headers: { authorization: 'Bearer forged' } }).then((r) => r.status))).toEqual({ 401: 100 });

    // Every refusal is accounted for: one line names it, or a summary line counts it.
    const refusalLines = () => out.split('\n').filter((line) => /answered 4\d\d|more refusals|"statusCode":4\d\d/.test(line));
    const accounted = () =>
      refusalLines().reduce((sum, line) => sum + (/answered 4\d\d/.test(line) ? 1 : Number(/(\d+) more refusals/.exec(line)?.[1] ?? 0)), 0);
    await waitFor(async () => accounted() === 200, 'refusal lines accounting for all 200 refusals', 10_000, 100).catch((error: Error) => {
      throw new Error(`${error.message}; accounted ${accounted()} in:\n${refusalLines().join('\n')}`);
    });
    expect(refusalLines().length).toBeLessThanOrEqual(4);
    expect(out).not.toContain('forged');
  });
});
