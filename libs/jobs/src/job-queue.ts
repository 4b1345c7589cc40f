import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { JOB_CATALOGUE, JobName, JobPayloads, QueueName } from './job-catalogue';

/** How long an enqueue may take before the caller goes on (the inbox relay catches up later). */
const ENQUEUE_TIMEOUT_MS = 1000;

/** Puts jobs on their queues, by name, with the catalogue's job id and options. */
@Injectable()
export class JobQueue {
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue('ingest') ingest: Queue,
    @InjectQueue('archive') archive: Queue,
    @InjectQueue('maintenance') maintenance: Queue,
    @InjectQueue('retention') retention: Queue,
  ) {
    this.queues = { ingest, archive, maintenance, retention };
    for (const queue of Object.values(this.queues)) queue.on('error', () => undefined);
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], delayMs = 0): Promise<void> {
    const spec = JOB_CATALOGUE[name];
    const add = this.queues[spec.queue].add(name, payload, {
      ...spec.options(this.config),
      jobId: spec.jobId(payload),
      delay: delayMs || undefined,
    });
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
