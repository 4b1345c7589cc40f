import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { StreamPackaging } from '@lib/playback';
import { PeriodicTasks } from './periodic-tasks';

/**
 * The reconciling pass of stream packaging, at the inbox relay's interval: stored sources without a
 * stream are queued (a lost enqueue, a recording left with audio alone). Idempotent: every worker
 * runs it; deterministic job ids keep a source from being queued twice.
 */
@Injectable()
export class StreamScheduler implements OnApplicationBootstrap {
  constructor(
    private readonly tasks: PeriodicTasks,
    private readonly packaging: StreamPackaging,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.media.streamPackaging) return;
    this.tasks.every('stream-backlog', this.config.archive.inboxRelayIntervalMs, () => this.packaging.queueMissing());
  }
}
