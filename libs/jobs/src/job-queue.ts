import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Clock } from '@lib/clock';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { Metrics } from '@lib/observability';
import { JOB_CATALOGUE, JobName, JobPayloads, QueueName } from './job-catalogue';
import { watchQueueErrors } from './queue-errors';

/** How long an enqueue may take before the caller goes on (the inbox relay catches up later). */
const ENQUEUE_TIMEOUT_MS = 1000;

async function withinEnqueueTimeout(add: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('enqueue timed out (Redis unavailable?)')), ENQUEUE_TIMEOUT_MS);
  });
  try {
    await Promise.race([add, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Puts jobs on their queues, by name, with the catalogue's job id and options. */
@Injectable()
export class JobQueue {
  private readonly logger = new Logger(JobQueue.name);
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue('ingest') ingest: Queue,
    @InjectQueue('archive') archive: Queue,
    @InjectQueue('maintenance') maintenance: Queue,
    @InjectQueue('retention') retention: Queue,
    @InjectQueue('media') media: Queue,
    @InjectQueue('research') research: Queue,
    metrics: Metrics,
    clock: Clock,
  ) {
    this.queues = { ingest, archive, maintenance, retention, media, research };
    // Heard, counted and logged (rate-limited): an enqueue that fails also fails its caller, who
    // falls back on the inbox relay or a periodic check.
    for (const [name, queue] of Object.entries(this.queues)) {
      watchQueueErrors(queue, name, 'queue', (labels) => metrics.queueErrors.inc(labels), this.logger, () => clock.now().getTime());
    }
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], delayMs = 0): Promise<void> {
    const spec = JOB_CATALOGUE[name];
    await withinEnqueueTimeout(
      this.queues[spec.queue].add(name, payload, {
        ...spec.options(this.config),
        jobId: spec.jobId(payload),
        delay: delayMs || undefined,
      }),
    );
  }

  /** Many jobs of one kind in one round trip (each with its catalogue job id: a queued one is not added twice). */
  async enqueueMany<N extends JobName>(name: N, payloads: readonly JobPayloads[N][]): Promise<void> {
    if (payloads.length === 0) return;
    const spec = JOB_CATALOGUE[name];
    const options = spec.options(this.config);
    await withinEnqueueTimeout(this.queues[spec.queue].addBulk(payloads.map((data) => ({ name, data, opts: { ...options, jobId: spec.jobId(data) } }))));
  }

  /** Whether the job this payload would get is held in Redis as failed (every attempt spent). */
  async hasFailed<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<boolean> {
    const spec = JOB_CATALOGUE[name];
    return (await this.queues[spec.queue].getJobState(spec.jobId(payload))) === 'failed';
  }

  async depth(): Promise<Array<{ queue: QueueName; state: string; count: number }>> {
    const out: Array<{ queue: QueueName; state: string; count: number }> = [];
    for (const [name, queue] of Object.entries(this.queues) as Array<[QueueName, Queue]>) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
      for (const [state, count] of Object.entries(counts)) out.push({ queue: name, state, count });
    }
    return out;
  }

  async ping(): Promise<void> {
    // Any round trip proves Redis answers; counting waiting jobs is one cheap command.
    await this.queues.ingest.getWaitingCount();
  }
}
