import type { JobsOptions } from 'bullmq';
import { createHash } from 'node:crypto';
import type { AppConfig } from '@lib/config';

/** Every queue, declared once. */
export const QUEUES = ['ingest', 'archive', 'maintenance', 'retention', 'media', 'research'] as const;
export type QueueName = (typeof QUEUES)[number];

/** Every job and its payload. Jobs carry ids, never data: the rows in PostgreSQL hold the state. */
export interface JobPayloads {
  /** `generation` is the inbox row's: bumped whenever the row is re-armed, so each arming is its own job. */
  'process-delivery': { deliveryId: string; generation: number };
  'archive-artifact': { artifactId: string };
  'remove-cloud-copy': { recordingId: string };
  'delete-artifact': { artifactId: string };
  /** One page of the retention sweep (at most 1000 ids): deleted together, one DeleteObjects call per 1000 keys. */
  'delete-artifacts': { artifactIds: string[] };
  /** A retention policy changed: re-apply the profile's newest rules to what is still kept. */
  'recompute-expiry': { profile: 'tutoring' | 'classes'; version: number };
  /** A video opt-out (or withdrawn images consent) applied to what is stored: for a person, or for one recording. */
  'enforce-opt-out': { personId: string; recordingId?: undefined } | { recordingId: string; personId?: undefined };
  /** Package a stored video (or an audio-only recording's audio) as encrypted HLS: the source artifact's id. */
  'package-stream': { artifactId: string };
  /** Talk time and safety signals of a recording, from what it has stored now (issue 13). */
  'analyse-recording': { recordingId: string };
  /** Build an approved research export (issue 14): the export's id. */
  'build-export': { exportId: string };
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
    // A failed job keeps its id for 7 days; a re-armed row (fresh delivery, re-drive) needs a new one.
    jobId: (p) => `delivery-${p.deliveryId}-g${p.generation}`,
    // A few quick tries for a passing fault; a delivery that still fails is re-driven by the inbox
    // relay over the following hours (libs/ingest/src/delivery-redrive.ts).
    options: (config) => ({ ...kept, attempts: 5, backoff: { type: 'exponential', delay: config.archive.backoffBaseMs } }),
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
  'delete-artifacts': {
    queue: 'retention',
    // The same page queued twice (two sweeps before it ran) is one job; overlapping pages are safe
    // (each row is locked while its objects are deleted; the later job then finds it deleted).
    jobId: (p) => `delete-batch-${createHash('sha256').update([...p.artifactIds].sort().join(',')).digest('hex').slice(0, 32)}`,
    options: (config) => ({ ...kept, attempts: 20, backoff: { type: 'exponential', delay: config.retention.deleteBackoffBaseMs } }),
  },
  'recompute-expiry': {
    queue: 'retention',
    jobId: (p) => `recompute-${p.profile}-v${p.version}`,
    options: () => ({ ...kept, attempts: 8, backoff: { type: 'exponential', delay: 5000 } }),
  },
  'enforce-opt-out': {
    queue: 'retention',
    jobId: (p) => (p.personId ? `opt-out-person-${p.personId}` : `opt-out-recording-${p.recordingId}`),
    // POLICIES §4: within a minute. Failures retry quickly; a periodic check catches anything missed.
    options: () => ({ ...kept, attempts: 10, backoff: { type: 'exponential', delay: 2000 } }),
  },
  'package-stream': {
    // Its own queue: ffmpeg's CPU work never holds up archiving, deletion or opt-outs.
    queue: 'media',
    jobId: (p) => `package-${p.artifactId}`,
    options: (config) => ({ ...kept, attempts: 4, backoff: { type: 'exponential', delay: config.archive.backoffBaseMs } }),
  },
  'analyse-recording': {
    // Speech detection runs ffmpeg: the media queue. One waiting job per recording; it reads
    // whatever is stored when it runs, and the reconciling pass catches a file stored meanwhile.
    queue: 'media',
    jobId: (p) => `analyse-${p.recordingId}`,
    options: (config) => ({ ...kept, attempts: 4, backoff: { type: 'exponential', delay: config.archive.backoffBaseMs } }),
  },
  'build-export': {
    // Its own queue: a long build never holds up archiving, deletion, packaging or analysis.
    queue: 'research',
    jobId: (p) => `export-${p.exportId}`,
    options: (config) => ({ ...kept, attempts: 3, backoff: { type: 'exponential', delay: config.archive.backoffBaseMs } }),
  },
};

export const JOB_NAMES = Object.keys(JOB_CATALOGUE) as JobName[];

