import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Clock } from '@lib/clock';
import { APP_CONFIG, AppConfig } from '@lib/config';

/** Past this many distinct sources in one interval, the rest are counted together (memory stays bounded). */
const MAX_SOURCES = 10_000;
const OTHER_SOURCES = 'other sources';

interface Window {
  startedAt: number;
  suppressed: number;
}

/**
 * Refusals (401, 429) cost an attacker nothing to provoke: logging each one would let a flood fill
 * the disk and bury everything else. Each source gets one line per interval; the rest are counted,
 * and the count is logged once that interval is over. Lines carry the source address, the status
 * and our own message, never a header, token or body.
 */
@Injectable()
export class RefusalLog implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('HTTP');
  private readonly windows = new Map<string, Window>();
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.intervalMs = config.edge.refusalLogIntervalMs;
  }

  onModuleInit(): void {
    this.timer = setInterval(() => this.flush(), this.intervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.flush(true);
  }

  record(source: string | undefined, status: number, message: string): void {
    const now = this.clock.now().getTime();
    let key = source || 'unknown';
    if (!this.windows.has(key) && this.windows.size >= MAX_SOURCES) key = OTHER_SOURCES;
    const window = this.windows.get(key);
    if (window && now - window.startedAt < this.intervalMs) {
      window.suppressed += 1;
      return;
    }
    if (window) this.summarise(key, window);
    this.windows.set(key, { startedAt: now, suppressed: 0 });
    this.logger.log(`answered ${status} to ${key}: ${message}`);
  }

  /** Logs the counts of intervals that are over (all of them at shutdown) and forgets those sources. */
  flush(all = false): void {
    const now = this.clock.now().getTime();
    for (const [key, window] of this.windows) {
      if (!all && now - window.startedAt < this.intervalMs) continue;
      this.summarise(key, window);
      this.windows.delete(key);
    }
  }

  private summarise(key: string, window: Window): void {
    if (window.suppressed === 0) return;
    this.logger.log(`${window.suppressed} more refusals to ${key} not logged in ${Math.round(this.intervalMs / 1000)} s`);
  }
}
