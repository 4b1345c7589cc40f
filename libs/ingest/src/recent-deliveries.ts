import { LRUCache } from 'lru-cache';
import { Clock } from '@lib/clock';

/** What the intake answered a delivery whose row is stored, and answers again to a byte-identical repeat. */
export type RepeatAnswer = 'duplicate' | 'ignored';

/**
 * The raw-body hashes of deliveries this process stored lately (their rows committed), so that a
 * byte-identical repeat — Zoom's retries, a burst of the same event — is answered without parsing
 * it or asking the database. Only a committed row is remembered, and only for a while: a repeat
 * arriving later, or at another replica, goes to the database as before, which answers the same.
 * The hash covers the download token, so a delivery with a fresh token is never taken for a repeat.
 */
export class RecentDeliveries {
  private readonly stored: LRUCache<string, RepeatAnswer> | null;

  constructor(seconds: number, clock: Clock, maxEntries = 20_000) {
    this.stored = seconds > 0 ? new LRUCache({ max: maxEntries, ttl: seconds * 1000, ttlResolution: 0, perf: { now: () => clock.now().getTime() } }) : null;
  }

  remember(bodySha256: string, answer: RepeatAnswer): void {
    this.stored?.set(bodySha256, answer);
  }

  /** The answer for a repeat of a body stored lately, or undefined: ask the database. */
  repeatOf(bodySha256: string): RepeatAnswer | undefined {
    return this.stored?.get(bodySha256);
  }
}
