import { JobName, JobPayloads } from './job-catalogue';

export interface JobContext {
  /** Attempts already made before this one. */
  attemptsMade: number;
  /** Attempts allowed in all. */
  attempts: number;
  /** Postpones the job without counting an attempt (e.g. Zoom has not finished the file). */
  postpone(delayMs: number): Promise<never>;
}

/** One class per job: it reads ids from the payload and calls one service method. */
export interface JobProcessor<N extends JobName = JobName> {
  readonly jobName: N;
  handle(payload: JobPayloads[N], context: JobContext): Promise<void>;
}

export const JOB_PROCESSORS = Symbol('JOB_PROCESSORS');

/** Fails start-up when a job has no processor or two (a job nobody runs is a silent data loss). */
export function indexProcessors(processors: JobProcessor[], names: readonly JobName[]): Map<JobName, JobProcessor> {
  const byName = new Map<JobName, JobProcessor>();
  for (const processor of processors) {
    if (byName.has(processor.jobName)) throw new Error(`job "${processor.jobName}" has two processors`);
    byName.set(processor.jobName, processor);
  }
  const missing = names.filter((name) => !byName.has(name));
  if (missing.length > 0) throw new Error(`jobs without a processor: ${missing.join(', ')}`);
  return byName;
}
