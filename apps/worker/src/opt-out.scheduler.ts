import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SingleRunner } from '@lib/database';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { ErasureFollowUp, OptOutEnforcer } from '@lib/consent';
import { PeriodicTasks } from './periodic-tasks';

/** Advisory lock key of the erasure follow-up: one process at a time across the fleet. */
const ERASURE_FOLLOW_UP_LOCK = 7_302_115_311;
const OPT_OUT_RECONCILE = 'opt-out-reconcile';
const ERASURE_FOLLOW_UP = 'erasure-follow-up';

/**
 * The consent lib's periodic work, on the Nest scheduler registry with configured intervals:
 * - the safety net of POLICIES §4 ("within a minute", `OPT_OUT_RECONCILE_INTERVAL_MS`): a video
 *   opt-out is applied by a job the moment it is recorded; should that job be lost (Redis down),
 *   this finds video an opt-out should have removed and applies it. Idempotent: every worker runs it;
 * - the erasure follow-up (`ERASURE_FOLLOW_UP_INTERVAL_MS`): held text once released, late text,
 *   until each erasure is done. One process at a time (it rewrites objects).
 * Within one process a run never overlaps the previous one.
 */
@Injectable()
export class OptOutScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(OptOutScheduler.name);

  constructor(
    private readonly tasks: PeriodicTasks,
    private readonly optOuts: OptOutEnforcer,
    private readonly erasures: ErasureFollowUp,
    private readonly singleRunner: SingleRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.tasks.every(OPT_OUT_RECONCILE, this.config.consent.optOutReconcileIntervalMs, async () => {
      const applied = await this.optOuts.reconcile();
      if (applied > 0) this.logger.log(`opt-out check applied opt-outs to ${applied} recording(s) a job had missed`);
    });
    this.tasks.every(ERASURE_FOLLOW_UP, this.config.consent.erasureFollowUpIntervalMs, () =>
      this.singleRunner.runExclusive(ERASURE_FOLLOW_UP_LOCK, () => this.erasures.run()),
    );
  }
}
