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

  readonly inboxGroupCommitSize = new Histogram({
    name: 'webhook_group_commit_deliveries',
    help: 'Webhook deliveries written to the inbox in one group commit',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    registers: [this.registry],
  });

  readonly ingestBatchSize = new Histogram({
    name: 'ingest_batch_deliveries',
    help: 'Deliveries a worker ingested together in one transaction',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200],
    registers: [this.registry],
  });

  readonly ingestBatchFallbacks = new Counter({
    name: 'ingest_batch_fallbacks_total',
    help: 'Batches of deliveries that could not commit together and were ingested delivery by delivery',
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

  /** Side effects asked for inside a committed transaction that failed afterwards (a reconciler finds them). */
  readonly afterCommitFailures = new Counter({
    name: 'after_commit_failures_total',
    help: 'Side effects requested inside a committed transaction that failed afterwards (a reconciler picks them up)',
    registers: [this.registry],
  });

  readonly retentionPolicyMissing = new Counter({
    name: 'retention_policy_missing_total',
    help: 'Sweep ticks that found a policy profile with no rules in the database (a configuration error)',
    registers: [this.registry],
  });

  readonly orphanObjectsDeleted = new Counter({
    name: 'storage_orphan_objects_deleted_total',
    help: 'Objects deleted by the reconciler because no live row referenced them',
    labelNames: ['cause'] as const,
    registers: [this.registry],
  });

  readonly reconcileLastRun = new Gauge({
    name: 'storage_reconcile_last_run_timestamp_seconds',
    help: 'When the object reconciler last finished a run',
    registers: [this.registry],
  });

  readonly reconcileDuration = new Gauge({
    name: 'storage_reconcile_duration_seconds',
    help: 'How long the last object reconciliation took',
    registers: [this.registry],
  });

  readonly evidenceCleanupFailures = new Counter({
    name: 'consent_evidence_cleanup_failures_total',
    help: 'Evidence objects left behind when a consent decision rolled back and their deletion failed',
    registers: [this.registry],
  });

  /** Counts overdue deletions when scraped; set by the retention module (null: not counted here). */
  overdueDeletions: (() => Promise<number>) | null = null;

  /** Recordings analysed for talk time and safety signals (issue 13), by the talk-time source used or why none. */
  readonly recordingsAnalysed = new Counter({
    name: 'recordings_analysed_total',
    help: 'Recordings analysed for talk time and safety signals, by talk-time source (none: no usable source)',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  /** Transcripts, chats, timelines or tracks analysis could not read (recorded on analysed_sources with the line). */
  readonly analysisSourcesMalformed = new Counter({
    name: 'analysis_sources_malformed_total',
    help: 'Stored files analysis could not read, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  /** Safety signals found, by kind and whether they are a breach (POLICIES §5). */
  readonly safetySignals = new Counter({
    name: 'safety_signals_total',
    help: 'Contact details found in chat logs and transcripts, by kind and breach',
    labelNames: ['kind', 'breach'] as const,
    registers: [this.registry],
  });

  /** Seconds the oldest committed audit event has waited for its seal (0: none waiting). */
  readonly auditUnsealedOldest = new Gauge({
    name: 'unsealed_audit_events_oldest_seconds',
    help: 'Age of the oldest audit event not yet sealed into the chain',
    registers: [this.registry],
  });

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
