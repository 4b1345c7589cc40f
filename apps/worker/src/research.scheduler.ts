import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { ExportConsentCheck, ExportRevocation } from '@lib/research';
import { PeriodicTasks } from './periodic-tasks';

/**
 * Research exports over time (issue 14): an export ends with its study's data-use agreement
 * (expired, archive deleted), and a withdrawal whose revocation failed when it was recorded is
 * caught here. Both are idempotent (conditional moves): every worker runs them.
 */
@Injectable()
export class ResearchScheduler implements OnApplicationBootstrap {
  constructor(
    private readonly tasks: PeriodicTasks,
    private readonly revocation: ExportRevocation,
    private readonly consent: ExportConsentCheck,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.tasks.every('export-expiry', this.config.consent.optOutReconcileIntervalMs, () => this.revocation.expireDue());
    this.tasks.every('export-consent-check', this.config.consent.optOutReconcileIntervalMs, () => this.consent.revokeWithdrawn());
  }
}
