import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { InboxRelay } from '@lib/ingest';
import { ObjectReconciler, RetentionSweeper } from '@lib/retention';
import { IncompleteUploadSweeper } from '@lib/storage';
import { PeriodicTasks } from './periodic-tasks';

/**
 * Periodic housekeeping in every worker. The relay and the multipart sweep are idempotent, so two
 * workers running them at once do no harm; the retention sweep and the object reconciler run on one
 * process at a time (SingleRunner).
 */
@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap {
  constructor(
    private readonly tasks: PeriodicTasks,
    private readonly relay: InboxRelay,
    private readonly uploads: IncompleteUploadSweeper,
    private readonly retention: RetentionSweeper,
    private readonly objects: ObjectReconciler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.tasks.every('inbox-relay', this.config.archive.inboxRelayIntervalMs, () => this.relay.relay());
    this.tasks.every('incomplete-upload-sweep', this.config.archive.incompleteUploadSweepMs, () => this.uploads.sweep());
    // Every worker ticks; an advisory lock lets one sweep run at a time across all of them.
    this.tasks.every('retention-sweep', this.config.retention.sweepIntervalMs, () => this.retention.scheduled());
    // Likewise one reconciliation at a time: objects no live row references go after a grace period.
    this.tasks.every('object-reconcile', this.config.retention.objectReconcileIntervalMs, () => this.objects.reconcile());
  }
}
