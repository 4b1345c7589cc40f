import { Clock } from '@lib/clock';
import { RecentDeliveries } from './recent-deliveries';

class SteppedClock extends Clock {
  ms = Date.parse('2026-12-06T10:00:00Z');
  now(): Date {
    return new Date(this.ms);
  }
}

describe('RecentDeliveries (repeats answered without the database)', () => {
  it('answers a remembered body with the answer it was given, and nothing for a body never stored', () => {
    const recent = new RecentDeliveries(60, new SteppedClock());
    recent.remember('sha-a', 'duplicate');
    recent.remember('sha-b', 'ignored');
    expect(recent.repeatOf('sha-a')).toBe('duplicate');
    expect(recent.repeatOf('sha-b')).toBe('ignored');
    expect(recent.repeatOf('sha-c')).toBeUndefined();
  });

  it('forgets a body once its time is up, by the injected clock', () => {
    const clock = new SteppedClock();
    const recent = new RecentDeliveries(60, clock);
    recent.remember('sha-a', 'duplicate');
    clock.ms += 59_000;
    expect(recent.repeatOf('sha-a')).toBe('duplicate');
    clock.ms += 2_000;
    expect(recent.repeatOf('sha-a')).toBeUndefined();
  });

  it('remembers nothing when turned off (0 seconds)', () => {
    const recent = new RecentDeliveries(0, new SteppedClock());
    recent.remember('sha-a', 'duplicate');
    expect(recent.repeatOf('sha-a')).toBeUndefined();
  });

  it('keeps at most its size, dropping the least recently used', () => {
    const recent = new RecentDeliveries(60, new SteppedClock(), 2);
    recent.remember('sha-a', 'duplicate');
    recent.remember('sha-b', 'duplicate');
    recent.remember('sha-c', 'duplicate');
    expect(recent.repeatOf('sha-a')).toBeUndefined();
    expect(recent.repeatOf('sha-c')).toBe('duplicate');
  });
});
