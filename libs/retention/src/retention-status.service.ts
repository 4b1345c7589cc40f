import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { Clock } from '@lib/clock';
import { Metrics } from '@lib/observability';
import { DueArtifacts } from './due-artifacts.repository';
import { HoldRepository } from './hold.repository';
import { RETENTION_CLASS } from './policy';
import { RetentionSweeper } from './retention-sweeper.service';

export interface RetentionStatusView {
  /** Stored, unheld artifacts expired (or asked to go) longer ago than RETENTION_OVERDUE_AFTER_MS. */
  overdue: number;
  /** When the next scheduled sweep is due: one interval after the last (now, when none ran yet). */
  nextSweepAt: string;
  lastSweep: { at: string; found: number; queued: number; deleted: number; failed: number } | null;
  /** Per retention class: stored artifacts and, of those, how many are due now (held ones included). */
  byClass: Record<string, { stored: number; due: number }>;
  /** Stored artifacts a hold covers. */
  held: number;
  sweepIntervalMs: number;
  overdueAfterMs: number;
}

/**
 * What an operator needs to know about retention: is anything overdue, when did the sweep last
 * run and what did it find. Overdue deletions are also the `retention_overdue_artifacts` gauge;
 * they never touch readiness (a replica is not taken out of service for them).
 */
@Injectable()
export class RetentionStatus {
  constructor(
    private readonly due: DueArtifacts,
    private readonly holds: HoldRepository,
    private readonly sweeper: RetentionSweeper,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: Metrics,
  ) {
    metrics.overdueDeletions = () => this.overdue();
  }

  async overdue(now: Date = this.clock.now()): Promise<number> {
    return this.due.countOverdue(new Date(now.getTime() - this.config.retention.overdueAfterMs));
  }

  async status(): Promise<RetentionStatusView> {
    const now = this.clock.now();
    const [overdue, lastSweep, classes, held] = await Promise.all([
      this.overdue(now),
      this.sweeper.lastSweep(),
      this.due.countByClass(now),
      this.holds.countHeldStoredArtifacts(),
    ]);
    const byClass: Record<string, { stored: number; due: number }> = {};
    for (const name of new Set(Object.values(RETENTION_CLASS))) byClass[name] = { stored: 0, due: 0 };
    for (const row of classes) {
      const name = row.retention_class ?? 'unassigned';
      byClass[name] = { stored: (byClass[name]?.stored ?? 0) + row.stored, due: (byClass[name]?.due ?? 0) + row.due };
    }
    const interval = this.config.retention.sweepIntervalMs;
    const next = lastSweep ? Math.max(Date.parse(lastSweep.at) + interval, now.getTime()) : now.getTime();
    return {
      overdue,
      nextSweepAt: new Date(next).toISOString(),
      lastSweep,
      byClass,
      held,
      sweepIntervalMs: interval,
      overdueAfterMs: this.config.retention.overdueAfterMs,
    };
  }
}
