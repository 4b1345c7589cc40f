import { JobType, Queue } from 'bullmq';
import { QUEUES, QueueName, redisConnection } from '@lib/jobs';
import { ServiceHarness } from './harness';

/**
 * The suite's BullMQ queues, read from outside the service. "Idle" (nothing waiting, active,
 * delayed or prioritised) is the positive signal a negative check waits for: once the job that
 * would have acted has finished and nothing is left to run, the thing did not happen.
 */
export class QueueProbe {
  private constructor(private readonly queues: Queue[]) {}

  static open(harness: ServiceHarness, names: readonly QueueName[] = QUEUES): QueueProbe {
    const connection = redisConnection(harness.config.redisUrl);
    return new QueueProbe(names.map((name) => new Queue(name, { prefix: harness.queuePrefix, connection })));
  }

  /** Every job still held in Redis, in any state (completed jobs are removed). */
  async jobCount(): Promise<number> {
    let total = 0;
    for (const queue of this.queues) for (const count of Object.values(await queue.getJobCounts())) total += count;
    return total;
  }

  async idle(): Promise<boolean> {
    for (const queue of this.queues) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).some((n) => n > 0)) return false;
    }
    return true;
  }

  /** How many attempts each job in these states has made (a job waiting for its retry is `delayed`). */
  async attemptsMade(states: JobType[] = ['waiting', 'active', 'delayed', 'failed']): Promise<number[]> {
    const jobs = (await Promise.all(this.queues.map((q) => q.getJobs(states)))).flat();
    return jobs.filter(Boolean).map((job) => job.attemptsMade);
  }

  /** The state of one job by its id ('unknown' when Redis holds no such job). */
  async state(queue: QueueName, jobId: string): Promise<string> {
    const found = this.queues.find((q) => q.name === queue);
    if (!found) throw new Error(`queue ${queue} is not probed`);
    return found.getJobState(jobId);
  }

  async close(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close()));
  }
}
