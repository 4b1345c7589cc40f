import type { JobsOptions } from 'bullmq';
import type { AppConfig } from '@lib/config';

/** Every queue, declared once. */
export const QUEUES = ['ingest', 'archive', 'maintenance', 'retention'] as const;
export type QueueName = (typeof QUEUES)[number];

/** Every job and its payload. Jobs carry ids, never data: the rows in PostgreSQL hold the state. */
export interface JobPayloads {
  'process-delivery': { deliveryId: string };
  'archive-artifact': { artifactId: string };
  'remove-cloud-copy': { recordingId: string };
  'delete-artifact': { artifactId: string };
}
export type JobName = keyof JobPayloads;

interface JobSpec<N extends JobName> {
  queue: QueueName;
  /** Deterministic: the same business key never queues twice while a job is waiting or running. */
  jobId(payload: JobPayloads[N]): string;
  options(config: AppConfig): JobsOptions;
}

const kept = { removeOnComplete: true, removeOnFail: { age: 7 * 86400 } } as const;

export const JOB_CATALOGUE: { [N in JobName]: JobSpec<N> } = {
  'process-delivery': {
    queue: 'ingest',
    jobId: (p) => `delivery-${p.deliveryId}`,
    options: () => ({ ...kept, attempts: 8, backoff: { type: 'exponential', delay: 2000 } }),
  },
  'archive-artifact': {
    queue: 'archive',
    jobId: (p) => `archive-${p.artifactId}`,
    options: (config) => ({
      ...kept,
      attempts: config.archive.attempts,
      backoff: { type: 'exponential', delay: config.archive.backoffBaseMs },
    }),
  },
  'remove-cloud-copy': {
    queue: 'maintenance',
    jobId: (p) => `cloud-copy-${p.recordingId}`,
    options: () => ({ ...kept, attempts: 6, backoff: { type: 'exponential', delay: 30_000 } }),
  },
  'delete-artifact': {
    queue: 'retention',
    jobId: (p) => `delete-${p.artifactId}`,
    // Storage errors are retried for about a day; the artifact stays `stored` until its objects are gone.
    options: (config) => ({ ...kept, attempts: 20, backoff: { type: 'exponential', delay: config.retention.deleteBackoffBaseMs } }),
  },
};

export const JOB_NAMES = Object.keys(JOB_CATALOGUE) as JobName[];

