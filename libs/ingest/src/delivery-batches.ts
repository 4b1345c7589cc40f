import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { DeliveryJob, RecordingIngest } from './recording-ingest.service';

/**
 * Batched ingest in a worker (docs/ingest.md#batched-ingest). The `process-delivery` jobs a worker
 * holds are ingested together: one batch at a time, at most `INGEST_BATCH_MAX` deliveries; the
 * jobs that arrive while a batch is being ingested make up the next one, so under load batches
 * grow by themselves and at rest a lone delivery goes at once. Each job settles with its own
 * delivery's outcome. A job on a retry goes alone (its delivery failed once already: it should not
 * make another batch fall back to one delivery per transaction). `INGEST_BATCH_MAX=1` is the path
 * before batching: each job in its own transaction, as many at once as the ingest queue's concurrency.
 */
@Injectable()
export class DeliveryBatches {
  private readonly batches: DataLoader<DeliveryJob, null> | null;
  /** Batches closed and waiting for the one being ingested. */
  private readonly queued: Array<() => void> = [];
  private ingesting = false;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly ingest: RecordingIngest,
  ) {
    this.batches = config.archive.deliveryBatchMax === 1 ? null : new DataLoader((jobs) => this.run(jobs), {
      cache: false,
      maxBatchSize: config.archive.deliveryBatchMax,
      batchScheduleFn: (dispatch) => {
        this.queued.push(dispatch);
        this.next();
      },
    });
  }

  /**
   * Ingests the delivery with the others queued now (alone on a retry: `attemptsMade` > 0); rejects
   * with its own failure only.
   */
  async process(job: DeliveryJob, attemptsMade = 0): Promise<void> {
    if (this.batches && attemptsMade === 0) {
      await this.batches.load(job);
      return;
    }
    const [outcome] = await this.ingest.processDeliveries([job]);
    if (outcome) throw outcome;
  }

  private next(): void {
    if (this.ingesting || this.queued.length === 0) return;
    this.ingesting = true;
    // The rest of this turn's jobs join the batch before it is dispatched.
    setImmediate(this.queued.shift()!);
  }

  private async run(jobs: readonly DeliveryJob[]): Promise<Array<null | Error>> {
    try {
      return await this.ingest.processDeliveries(jobs);
    } finally {
      this.ingesting = false;
      this.next();
    }
  }
}
