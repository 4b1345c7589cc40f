import { Clock } from '@lib/clock';

/** Real time, moved forward at will: what waits for minutes (re-drives, memories) becomes due at once. */
export class MovableClock extends Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
