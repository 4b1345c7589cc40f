import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { OptOutEnforcer } from '@lib/consent';

/**
 * The safety net of POLICIES §4 ("within a minute"): a video opt-out is applied by a job the
 * moment it is recorded; should that job be lost (Redis down, lost data), this periodic check
 * finds video an opt-out should have removed and applies it. Idempotent, so every worker runs it.
 */
export const OPT_OUT_CHECK_INTERVAL_MS = 20_000;

@Injectable()
export class OptOutScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OptOutScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(private readonly optOuts: OptOutEnforcer) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), OPT_OUT_CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const applied = await this.optOuts.reconcile();
      if (applied > 0) this.logger.log(`opt-out check applied opt-outs to ${applied} recording(s) a job had missed`);
    } catch (error) {
      this.logger.warn(`opt-out check failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
