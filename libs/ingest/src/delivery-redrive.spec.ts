import { nextRedriveAt, REDRIVE_DELAYS_MS } from './delivery-redrive';

const at = new Date('2026-11-02T15:00:00Z');

describe('nextRedriveAt', () => {
  it('re-drives a delivery that failed for the first time five minutes later', () => {
    expect(nextRedriveAt(0, at)?.toISOString()).toBe('2026-11-02T15:05:00.000Z');
  });
  it('waits longer after each re-drive', () => {
    const waits = REDRIVE_DELAYS_MS.map((_, n) => nextRedriveAt(n, at)!.getTime() - at.getTime());
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
    expect(new Set(waits).size).toBe(waits.length);
  });
  it('gives up once every re-drive is spent', () => {
    expect(nextRedriveAt(REDRIVE_DELAYS_MS.length, at)).toBeNull();
  });
  it('keeps every re-drive within the day a download token lives', () => {
    expect(REDRIVE_DELAYS_MS.reduce((a, b) => a + b, 0)).toBeLessThan(24 * 3600_000);
  });
  it('gives up on a nonsensical count rather than guessing', () => {
    expect(nextRedriveAt(-1, at)).toBeNull();
    expect(nextRedriveAt(1.5, at)).toBeNull();
  });
  it('follows the delays it is given', () => {
    expect(nextRedriveAt(1, at, [10, 20])?.getTime()).toBe(at.getTime() + 20);
    expect(nextRedriveAt(2, at, [10, 20])).toBeNull();
  });
});
