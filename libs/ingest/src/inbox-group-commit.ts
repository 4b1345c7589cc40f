import { Inject, Injectable, Logger } from '@nestjs/common';
import DataLoader from 'dataloader';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { JobQueue } from '@lib/jobs';
import { Metrics } from '@lib/observability';
import { DeliveryInbox, InboxUpsert, UpsertedDelivery } from './delivery-inbox.repository';

/**
 * Group commit for the webhook inbox. Deliveries that arrive together (within
 * WEBHOOK_GROUP_COMMIT_MS, at most WEBHOOK_GROUP_COMMIT_MAX) are written in one statement — one
 * commit, one WAL flush, one round trip — and the jobs of those that need processing are queued in
 * one `addBulk`. Each caller is answered with its own row's outcome only once that statement has
 * committed, so an acknowledged delivery is durable exactly as before. A delivery that cannot be
 * stored fails its own caller only (Zoom retries; nothing is acknowledged that was not stored); a
 * failed enqueue fails none (the rows are stored, and the inbox relay queues them later).
 */
@Injectable()
export class InboxGroupCommit {
  private readonly logger = new Logger(InboxGroupCommit.name);
  private readonly groups: DataLoader<InboxUpsert, UpsertedDelivery | null>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly inbox: DeliveryInbox,
    private readonly jobs: JobQueue,
    private readonly metrics: Metrics,
  ) {
    const windowMs = config.zoom.webhookGroupCommitMs;
    this.groups = new DataLoader((deliveries) => this.commit(deliveries), {
      cache: false,
      maxBatchSize: config.zoom.webhookGroupCommitMax,
      // 0: what arrived in this turn of the event loop; otherwise a short window gathers more.
      batchScheduleFn: windowMs === 0 ? (flush) => setImmediate(flush) : (flush) => setTimeout(flush, windowMs),
    });
  }

  /** Stores the delivery with the others arriving now; answers as `DeliveryInbox.upsert` once committed. */
  store(delivery: InboxUpsert): Promise<UpsertedDelivery | null> {
    return this.groups.load(delivery);
  }

  private async commit(deliveries: readonly InboxUpsert[]): Promise<Array<UpsertedDelivery | null | Error>> {
    this.metrics.inboxGroupCommitSize.observe(deliveries.length);
    const rows = await this.write(deliveries);
    const armed = rows.filter((row): row is UpsertedDelivery => row !== null && !(row instanceof Error) && row.status === 'received');
    await this.jobs
      .enqueueMany(
        'process-delivery',
        armed.map((row) => ({ deliveryId: row.id, generation: row.generation })),
      )
      .catch((error: Error) => {
        this.metrics.backgroundFailures.inc({ operation: 'enqueue-delivery' }, armed.length);
        this.logger.warn(`deliveries stored: ${armed.length}; enqueue failed (${error.name}); the inbox relay will enqueue them`);
      });
    return rows;
  }

  /**
   * One statement for the group; if it fails, one per delivery, so that a delivery the database
   * refuses fails alone (its caller gets the error, Zoom retries it) instead of taking the
   * deliveries that happened to arrive beside it down with it.
   */
  private async write(deliveries: readonly InboxUpsert[]): Promise<Array<UpsertedDelivery | null | Error>> {
    try {
      return await this.inbox.upsertMany(deliveries);
    } catch (error) {
      if (deliveries.length === 1) return [error as Error];
      this.logger.warn(`a group of ${deliveries.length} deliveries could not be stored together (${(error as Error).name}); storing them one by one`);
      const answers: Array<UpsertedDelivery | null | Error> = [];
      for (const delivery of deliveries) answers.push(await this.inbox.upsert(delivery).catch((e: Error) => e));
      return answers;
    }
  }
}
