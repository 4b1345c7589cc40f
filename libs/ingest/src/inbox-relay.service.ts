import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { Clock } from '@lib/clock';
import { JobQueue } from '@lib/jobs';
import { DeliveryInbox } from './delivery-inbox.repository';

const RELAY_BATCH = 500;

/**
 * Re-enqueues acknowledged deliveries that were never processed (Redis was down when they came,
 * or lost its data). Safe to run anywhere and often: job ids are deterministic, so a job still
 * waiting in Redis is not queued twice.
 */
@Injectable()
export class InboxRelay {
  private readonly logger = new Logger(InboxRelay.name);

  constructor(
    private readonly inbox: DeliveryInbox,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async relay(): Promise<number> {
    const olderThan = new Date(this.clock.now().getTime() - this.config.archive.inboxRelayIntervalMs);
    const ids = await this.inbox.waiting(olderThan, RELAY_BATCH);
    let relayed = 0;
    for (const deliveryId of ids) {
      try {
        await this.jobs.enqueue('process-delivery', { deliveryId });
        relayed += 1;
      } catch (error) {
        this.logger.warn(`relay could not enqueue (${(error as Error).message}); will try again`);
        break;
      }
    }
    return relayed;
  }
}
