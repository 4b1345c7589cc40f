import { Logger } from '@nestjs/common';
import { FixedClock } from '@lib/clock';
import { loadConfig } from '@lib/config';
import { RefusalLog } from './refusal-log';
import { isUnauthenticatedEdgeRoute } from './edge-limits';

describe('RefusalLog: one line per source per interval, then a count', () => {
  const clock = new FixedClock(new Date('2026-11-05T09:00:00Z'));
  let lines: string[];
  let log: RefusalLog;

  beforeEach(() => {
    lines = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => void lines.push(String(message)));
    log = new RefusalLog(loadConfig({ HTTP_REFUSAL_LOG_INTERVAL_MS: '60000' }), clock);
  });
  afterEach(() => jest.restoreAllMocks());

  it('logs the first refusal of a source and counts the rest until the interval is over', () => {
    for (let i = 0; i < 1000; i++) log.record('203.0.113.9', 401, 'webhook signature refused: bad signature');
    expect(lines).toEqual(['answered 401 to 203.0.113.9: webhook signature refused: bad signature']);
    clock.advance(60_000);
    log.flush();
    expect(lines[1]).toBe('999 more refusals to 203.0.113.9 not logged in 60 s');
    log.record('203.0.113.9', 401, 'again');
    expect(lines).toHaveLength(3);
  });

  it('keeps sources apart', () => {
    log.record('203.0.113.9', 401, 'a');
    log.record('203.0.113.10', 429, 'b');
    log.record('203.0.113.9', 401, 'a');
    expect(lines).toEqual(['answered 401 to 203.0.113.9: a', 'answered 429 to 203.0.113.10: b']);
  });

  it('logs nothing more for a source that stopped after one refusal', () => {
    log.record('203.0.113.9', 401, 'a');
    clock.advance(120_000);
    log.flush();
    expect(lines).toHaveLength(1);
  });

  it('counts sources beyond its bound together, so memory stays bounded under spoofed addresses', () => {
    for (let i = 0; i < 10_050; i++) log.record(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, 401, 'x');
    expect(lines).toHaveLength(10_001);
    expect(lines[10_000]).toBe('answered 401 to other sources: x');
  });
});

describe('which routes are limited per source', () => {
  it.each([
    ['/webhooks/zoom', true],
    ['/review/:id', true],
    ['/feedback/:tutorId', true],
    ['/health', false],
    ['/metrics', false],
    ['/v1/recordings/:id', false],
    // A player fetches a segment every few seconds; 50 viewers behind one office NAT must not hit a
    // per-source limit. The token (one HMAC) is the check; the routes stay out of the public limit.
    ['/v1/playback/:token/:segment', false],
    ['/v1/playback/:token/index.m3u8', false],
    ['/v1/playback/:token/key', false],
  ])('%s → %s', (url, limited) => {
    expect(isUnauthenticatedEdgeRoute(url as string, '/webhooks/zoom')).toBe(limited);
  });
});
