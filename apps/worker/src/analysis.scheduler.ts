import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { RecordingAnalysis } from '@lib/analytics';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { PeriodicTasks } from './periodic-tasks';

/**
 * The reconciling pass of analysis, at the inbox relay's interval: recordings with a stored
 * transcript, chat, timeline or track analysis has not been through are queued (a lost enqueue, a
 * file stored while its recording was being analysed, a source deleted). Idempotent: every worker
 * runs it; the deterministic job id keeps a recording from being queued twice.
 */
@Injectable()
export class AnalysisScheduler implements OnApplicationBootstrap {
  constructor(
    private readonly tasks: PeriodicTasks,
    private readonly analysis: RecordingAnalysis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.analysis.enabled) return;
    this.tasks.every('analysis-backlog', this.config.archive.inboxRelayIntervalMs, () => this.analysis.queueOwed());
  }
}
