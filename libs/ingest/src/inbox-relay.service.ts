import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { Clock } from '@lib/clock';
import { JobQueue } from '@lib/jobs';
import { Metrics } from '@lib/observability';
import { DeliveryInbox } from './delivery-inbox.repository';
import { ZoomArtifactRepository } from './zoom-artifact.repository';

const RELAY_BATCH = 500;
/** A pending file untouched this long has probably lost its job (Redis lost its data). */
const STALE_ARTIFACT_MS = 10 * 60_000;

/**
 * Re-enqueues acknowledged deliveries that were never processed (Redis was down when they came,
 * or lost its data), re-drives failed deliveries whose next attempt is due (docs/ingest.md), and
 * re-enqueues pending files whose job was lost. Safe to run anywhere and often: job ids are
 * deterministic per arming of a row, so a job still waiting in Redis is not queued twice.
 */
@Injectable()
export class InboxRelay implements OnModuleInit {
  private readonly logger = new Logger(InboxRelay.name);

  constructor(
    private readonly inbox: DeliveryInbox,
    private readonly artifacts: ZoomArtifactRepository,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.metrics.failedDeliveries = () => this.inbox.failedCounts();
  }

  async relay(): Promise<number> {
    const now = this.clock.now();
    const redriven = await this.inbox.rearmDue(now, RELAY_BATCH);
    if (redriven.length > 0) this.metrics.deliveryRedrives.inc({ event: 'redriven' }, redriven.length);
    const waiting = await this.inbox.waiting(new Date(now.getTime() - this.config.archive.inboxRelayIntervalMs), RELAY_BATCH);
    const deliveries = [...redriven, ...waiting.filter((w) => !redriven.some((r) => r.id === w.id))];
    const artifacts = await this.artifacts.stalePending(new Date(now.getTime() - STALE_ARTIFACT_MS), RELAY_BATCH);
    let relayed = 0;
    try {
      for (const armed of deliveries) {
        const job = await this.rearmIfJobFailed(armed);
        if (!job) continue;
        await this.jobs.enqueue('process-delivery', { deliveryId: job.id, generation: job.generation });
        relayed += 1;
      }
      for (const artifactId of artifacts) {
        await this.jobs.enqueue('archive-artifact', { artifactId });
        relayed += 1;
      }
    } catch (error) {
      // A re-armed row left unqueued is `received`: the next run picks it up as waiting.
      this.metrics.backgroundFailures.inc({ operation: 'inbox-relay' });
      this.logger.warn(`relay could not enqueue (${(error as Error).name}); will try again`);
    }
    return relayed;
  }

  /**
   * A waiting row whose job already failed for good (its failure could not be recorded, e.g. the
   * database was down then) would be re-queued under the same job id, which BullMQ ignores: it is
   * re-armed under the next generation instead. Null when the row changed meanwhile.
   */
  private async rearmIfJobFailed(armed: { id: string; generation: number }): Promise<{ id: string; generation: number } | null> {
    if (!(await this.jobs.hasFailed('process-delivery', { deliveryId: armed.id, generation: armed.generation }))) return armed;
    const rearmed = await this.inbox.rearmReceived(armed.id, armed.generation);
    if (rearmed) this.metrics.deliveryRedrives.inc({ event: 'redriven' });
    return rearmed;
  }
}
