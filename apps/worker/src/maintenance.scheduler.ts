import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { InboxRelay } from '@lib/ingest';
import { ObjectReconciler, RetentionSweeper } from '@lib/retention';
import { IncompleteUploadSweeper } from '@lib/storage';

/**
 * Periodic housekeeping in every worker. Both tasks are idempotent, so two workers running them
 * at once do no harm; within one process a run never overlaps the previous one.
 */
@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MaintenanceScheduler.name);
  private readonly running = new Set<string>();

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly relay: InboxRelay,
    private readonly uploads: IncompleteUploadSweeper,
    private readonly retention: RetentionSweeper,
    private readonly objects: ObjectReconciler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.every('inbox-relay', this.config.archive.inboxRelayIntervalMs, () => this.relay.relay());
    this.every('incomplete-upload-sweep', this.config.archive.incompleteUploadSweepMs, () => this.uploads.sweep());
    // Every worker ticks; an advisory lock lets one sweep run at a time across all of them.
    this.every('retention-sweep', this.config.retention.sweepIntervalMs, () => this.retention.scheduled());
    // Likewise one reconciliation at a time: objects no live row references go after a grace period.
    this.every('object-reconcile', this.config.retention.objectReconcileIntervalMs, () => this.objects.reconcile());
  }

  onApplicationShutdown(): void {
    for (const name of this.registry.getIntervals()) this.registry.deleteInterval(name);
  }

  private every(name: string, ms: number, task: () => Promise<unknown>): void {
    const tick = async () => {
      if (this.running.has(name)) return;
      this.running.add(name);
      try {
        await task();
      } catch (error) {
        this.logger.warn(`${name} failed: ${(error as Error).message}`);
      } finally {
        this.running.delete(name);
      }
    };
    const handle = setInterval(() => void tick(), ms);
    handle.unref();
    this.registry.addInterval(name, handle);
  }
}
