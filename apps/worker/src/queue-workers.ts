import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError, Worker } from 'bullmq';
import { Clock } from '@lib/clock';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { Metrics } from '@lib/observability';
import {
  indexProcessors,
  isPermanent,
  JOB_NAMES,
  JOB_PROCESSORS,
  JobContext,
  JobName,
  JobProcessor,
  QUEUES,
  QueueName,
  redisConnection,
  watchQueueErrors,
} from '@lib/jobs';

/**
 * One BullMQ worker per queue, dispatching each job by name to its processor. Start-up fails when
 * a job in the catalogue has no processor.
 */
@Injectable()
export class QueueWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(QueueWorkers.name);
  private readonly workers: Worker[] = [];
  private readonly processors: Map<JobName, JobProcessor>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JOB_PROCESSORS) processors: JobProcessor[],
    private readonly metrics: Metrics,
    private readonly clock: Clock,
  ) {
    this.processors = indexProcessors(processors, JOB_NAMES);
  }

  onApplicationBootstrap(): void {
    // One packaging at a time per worker: a remux is quick, a re-encode takes every core it gets.
    // One export build at a time per worker: it streams, but reads and writes a lot.
    // Ingest: twice a batch, so the next batch gathers while one is being ingested (8 one-delivery
    // transactions at once with INGEST_BATCH_MAX=1).
    const concurrency: Record<QueueName, number> = { ingest: Math.max(8, 2 * this.config.archive.deliveryBatchMax), archive: this.config.archive.concurrency, maintenance: 2, retention: 4, media: 1, research: 1 };
    for (const queue of QUEUES) {
      const worker = new Worker(queue, (job, token) => this.run(job, token), {
        prefix: this.config.queuePrefix,
        connection: redisConnection(this.config.redisUrl, { maxRetriesPerRequest: null }),
        concurrency: concurrency[queue],
        lockDuration: this.config.archive.lockDurationMs,
        stalledInterval: Math.max(1000, Math.floor(this.config.archive.lockDurationMs / 2)),
      });
      watchQueueErrors(worker, queue, 'worker', (labels) => this.metrics.queueErrors.inc(labels), this.logger, () => this.clock.now().getTime());
      this.workers.push(worker);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close().catch(() => undefined)));
  }

  private async run(job: Job, token?: string): Promise<void> {
    const processor = this.processors.get(job.name as JobName);
    if (!processor) throw new UnrecoverableError(`no processor for job ${job.name}`);
    const context: JobContext = {
      attemptsMade: job.attemptsMade,
      attempts: job.opts.attempts ?? 1,
      postpone: async (delayMs) => {
        await job.moveToDelayed(Date.now() + delayMs, token);
        throw new DelayedError();
      },
    };
    try {
      await processor.handle(job.data, context);
    } catch (error) {
      if (error instanceof DelayedError) throw error;
      // Permanent failures were recorded by the service; do not spend retries on them.
      if (isPermanent(error)) {
        throw new UnrecoverableError((error as Error).message);
      }
      throw error;
    }
  }
}
