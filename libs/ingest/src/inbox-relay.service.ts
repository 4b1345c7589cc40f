import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { Clock } from '@lib/clock';
import { JobQueue } from '@lib/jobs';
import { Sql, Transactions } from '@lib/database';
import { DeliveryInbox } from './delivery-inbox.repository';

const RELAY_BATCH = 500;
/** A pending file untouched this long has probably lost its job (Redis lost its data). */
const STALE_ARTIFACT_MS = 10 * 60_000;

/**
 * Re-enqueues acknowledged deliveries that were never processed (Redis was down when they came,
 * or lost its data). Safe to run anywhere and often: job ids are deterministic, so a job still
 * waiting in Redis is not queued twice.
 */
@Injectable()
export class InboxRelay {
  private readonly logger = new Logger(InboxRelay.name);

  constructor(
    private readonly sql: Sql,
    private readonly transactions: Transactions,
    private readonly inbox: DeliveryInbox,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async relay(): Promise<number> {
    const now = this.clock.now().getTime();
    const deliveries = await this.inbox.waiting(new Date(now - this.config.archive.inboxRelayIntervalMs), RELAY_BATCH);
    const artifacts: Array<{ id: string }> = await this.sql.rows(
      `SELECT id FROM artifacts WHERE status = 'pending' AND zoom_file_key IS NOT NULL AND updated_at < $1
       ORDER BY updated_at LIMIT $2`,
      [new Date(now - STALE_ARTIFACT_MS), RELAY_BATCH],
    );
    let relayed = 0;
    try {
      for (const deliveryId of deliveries) {
        await this.jobs.enqueue('process-delivery', { deliveryId });
        relayed += 1;
      }
      for (const { id } of artifacts) {
        await this.jobs.enqueue('archive-artifact', { artifactId: id });
        relayed += 1;
      }
    } catch (error) {
      this.logger.warn(`relay could not enqueue (${(error as Error).message}); will try again`);
    }
    return relayed;
  }
}
