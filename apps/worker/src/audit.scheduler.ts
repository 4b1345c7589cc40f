import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AuditSealer } from '@lib/audit';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { PeriodicTasks } from './periodic-tasks';

/** Every worker ticks the sealer; its lock lets one seal at a time (docs/audit.md). */
@Injectable()
export class AuditScheduler implements OnApplicationBootstrap {
  constructor(
    private readonly tasks: PeriodicTasks,
    private readonly sealer: AuditSealer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.tasks.every('audit-seal', this.config.audit.sealIntervalMs, () => this.sealer.seal());
  }
}
