/**
 * When a delivery whose processing failed for good (every job attempt spent) is tried again.
 * Zoom's download token lives 24 hours, so the waits grow to cover most of a day, then we stop:
 * a given-up delivery stays in the inbox, visible in /metrics, until a fresh delivery re-arms it.
 */
export const REDRIVE_DELAYS_MS: readonly number[] = [5, 20, 60, 4 * 60, 12 * 60].map((minutes) => minutes * 60_000);

/** The next attempt after `redrives` re-drives already made, or null: give up. */
export function nextRedriveAt(redrives: number, failedAt: Date, delays: readonly number[] = REDRIVE_DELAYS_MS): Date | null {
  if (!Number.isInteger(redrives) || redrives < 0 || redrives >= delays.length) return null;
  return new Date(failedAt.getTime() + delays[redrives]);
}
