import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every metric the service exposes at /metrics, declared once. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly webhookDeliveries = new Counter({
    name: 'zoom_webhook_deliveries_total',
    help: 'Zoom webhook deliveries by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly archiveBytes = new Counter({
    name: 'archive_bytes_total',
    help: 'Bytes archived into object storage',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly archiveSeconds = new Histogram({
    name: 'archive_seconds',
    help: 'Time to archive one file (download, verify, store)',
    labelNames: ['kind'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 1800, 7200],
    registers: [this.registry],
  });

  readonly archiveFailures = new Counter({
    name: 'archive_failures_total',
    help: 'Archive attempts that failed, by reason category (retried ones included)',
    labelNames: ['reason', 'final'] as const,
    registers: [this.registry],
  });

  readonly queueDepth = new Gauge({
    name: 'queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });

  /** A delivery's processing failed for good, was re-driven, or was given up after its last re-drive. */
  readonly deliveryRedrives = new Counter({
    name: 'zoom_delivery_redrive_total',
    help: 'Webhook deliveries whose processing failed (every job attempt spent), re-driven, or given up',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });

  /** Counts failed deliveries when scraped; set by the ingest module (null: not counted here). */
  failedDeliveries: (() => Promise<{ awaitingRedrive: number; givenUp: number }>) | null = null;

  readonly deliveriesFailed = new Gauge({
    name: 'zoom_deliveries_failed',
    help: 'Webhook deliveries in the inbox whose processing failed: awaiting a re-drive, or given up',
    labelNames: ['state'] as const,
    registers: [this.registry],
    collect: async () => {
      if (!this.failedDeliveries) return;
      try {
        const counts = await this.failedDeliveries();
        this.deliveriesFailed.set({ state: 'awaiting_redrive' }, counts.awaitingRedrive);
        this.deliveriesFailed.set({ state: 'given_up' }, counts.givenUp);
      } catch {
        // Database unreachable: keep the last values rather than failing the whole scrape.
      }
    },
  });

  /** Errors a queue connection or worker reported (Redis unreachable, a command refused…). */
  readonly queueErrors = new Counter({
    name: 'queue_errors_total',
    help: 'Error events from job queues and their workers',
    labelNames: ['queue', 'source'] as const,
    registers: [this.registry],
  });

  /** Work that failed where nobody waits for it (an enqueue after the answer, a best-effort step). */
  readonly backgroundFailures = new Counter({
    name: 'background_failures_total',
    help: 'Failures of best-effort steps that are retried or reconciled later, by operation',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  /** Counts overdue deletions when scraped; set by the retention module (null: not counted here). */
  overdueDeletions: (() => Promise<number>) | null = null;

  readonly retentionOverdue = new Gauge({
    name: 'retention_overdue_artifacts',
    help: 'Stored, unheld artifacts whose deletion is overdue (expired or requested longer ago than RETENTION_OVERDUE_AFTER_MS)',
    registers: [this.registry],
    collect: async () => {
      if (!this.overdueDeletions) return;
      try {
        this.retentionOverdue.set(await this.overdueDeletions());
      } catch {
        // Database unreachable: keep the last value rather than failing the whole scrape.
      }
    },
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
