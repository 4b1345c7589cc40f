import type { StoredStream } from './playback.repository';

/**
 * Where a recording's stream lives, remembered for a few seconds. A player fetches a segment every
 * few seconds and fifty viewers of one office fetch the same ones: without this each fetch costs a
 * database read. Only segment and poster fetches use it; the playlist and the key (which decide
 * access again) always read afresh and refresh it. A stream deleted meanwhile answers 404 from
 * storage, so a stale entry can serve nothing that is gone.
 */
export class RecentStreams {
  private readonly entries = new Map<string, { stream: StoredStream; until: number }>();

  constructor(
    private readonly ttlMs = 10_000,
    private readonly capacity = 2_000,
  ) {}

  get(recordingId: string, nowMs: number): StoredStream | null {
    const entry = this.entries.get(recordingId);
    if (!entry) return null;
    if (entry.until <= nowMs) {
      this.entries.delete(recordingId);
      return null;
    }
    return entry.stream;
  }

  remember(recordingId: string, stream: StoredStream, nowMs: number): void {
    this.entries.delete(recordingId);
    // Oldest first out: a Map iterates in insertion order.
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(recordingId, { stream, until: nowMs + this.ttlMs });
  }

  forget(recordingId: string): void {
    this.entries.delete(recordingId);
  }
}
