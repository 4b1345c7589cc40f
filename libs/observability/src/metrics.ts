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
