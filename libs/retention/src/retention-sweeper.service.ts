import { Injectable, Logger } from '@nestjs/common';
import { SingleRunner } from '@lib/database';
import { Clock } from '@lib/clock';
import { JobQueue } from '@lib/jobs';
import { Metrics } from '@lib/observability';
import { ArtifactDeletion } from './artifact-deletion.service';
import { DueArtifact, DueArtifacts, DueCursor } from './due-artifacts.repository';
import { RetentionPolicies, RetentionPolicyMissing } from './retention-policies.service';
import { RetentionSweepRepository } from './retention-sweep.repository';

/** Any 64-bit constant: held for the whole sweep, so one sweep runs at a time across all workers. */
const SWEEP_LOCK = 7_302_115_201;
/**
 * A sweep leaves an artifact it queued to that job for this long before queueing it again (a lost
 * job, or one still retrying: an identical page gets the same job id, so re-queueing is harmless).
 */
const QUEUED_LEASE_MS = 15 * 60_000;
/** Sweep history kept for the status page. */
const HISTORY_DAYS = 30;

export interface SweepOptions {
  /** The moment "expired" is judged at (default: now). Only dry runs may look ahead. */
  at?: Date;
  /** Lists what would go, deletes nothing. */
  dryRun?: boolean;
  /** Deletes in this process (the CLI) instead of queueing `delete-artifacts` jobs. */
  inline?: boolean;
  /** Collect the artifacts in the result (the scheduled sweep only needs counts). Default true. */
  collect?: boolean;
}

export interface SweptArtifact {
  id: string;
  kind: string;
  reason: string;
  /** queued (a job will delete it), deleted (inline), would_delete (dry run), or why not. */
  outcome: 'queued' | 'deleted' | 'would_delete' | 'held' | 'not_due' | 'skipped' | 'failed';
  error?: string;
}

export interface SweepResult {
  /** False when another sweep held the lock (nothing was done). */
  ran: boolean;
  at: string;
  found: number;
  queued: number;
  deleted: number;
  failed: number;
  artifacts: SweptArtifact[];
}

/**
 * The scheduled retention sweep. Finds stored, unheld artifacts that expired (or whose deletion
 * was requested) through their partial indexes, a keyset page of 1000 at a time, and hands each
 * page to the one deletion path: a `delete-artifacts` job (deterministic id from the page's ids,
 * so the same page is never queued twice; overlapping pages are safe because the deletion locks
 * each row while it deletes its objects, and a second deletion then finds it deleted) or, from the CLI, `ArtifactDeletion.deleteArtifacts`
 * right here. A PostgreSQL advisory lock on a dedicated connection makes it one sweep at a time
 * however many workers run.
 */
@Injectable()
export class RetentionSweeper {
  private readonly logger = new Logger(RetentionSweeper.name);

  constructor(
    private readonly sweeps: RetentionSweepRepository,
    private readonly singleRunner: SingleRunner,
    private readonly due: DueArtifacts,
    private readonly deletion: ArtifactDeletion,
    private readonly jobs: JobQueue,
    private readonly policies: RetentionPolicies,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {}

  async sweep(options: SweepOptions = {}): Promise<SweepResult> {
    const at = options.at ?? this.clock.now();
    const result: SweepResult = { ran: true, at: at.toISOString(), found: 0, queued: 0, deleted: 0, failed: 0, artifacts: [] };
    // A dry run changes nothing, so it needs no lock (and never waits for a running sweep).
    if (options.dryRun) {
      await this.walk(at, null, async (page) => this.collect(result, page.map((a) => ({ ...a, outcome: 'would_delete' as const })), options));
      return result;
    }
    const ran = await this.singleRunner.runExclusive(SWEEP_LOCK, async () => {
      const startedAt = this.clock.now();
      // Queueing leaves out what earlier sweeps queued recently; deleting inline takes everything due.
      const queuedBefore = options.inline ? null : new Date(startedAt.getTime() - QUEUED_LEASE_MS);
      await this.walk(at, queuedBefore, (page) => (options.inline ? this.deleteInline(result, page, at, options) : this.enqueue(result, page, options)));
      await this.record(result, startedAt, at, options.inline ? 'inline' : 'queue');
      if (result.found > 0) {
        this.logger.log(`sweep at ${result.at}: ${result.found} due, ${result.queued} queued, ${result.deleted} deleted, ${result.failed} failed`);
      }
      return result;
    });
    return ran ?? { ...result, ran: false };
  }

  /**
   * The worker's periodic task: re-queues the re-computation of any policy version not yet applied
   * (a job lost with Redis, or artifacts stored before retention existed), then sweeps.
   *
   * A profile with no rules in the database is a configuration error: logged and counted
   * (`retention_policy_missing_total`) on every tick, and the tick fails with it. What is already
   * due is still deleted first: its expiry came from rules that existed, and keeping it longer
   * would be the unsafe side. (Everything that needs the missing rules fails until they exist.)
   */
  async scheduled(): Promise<SweepResult> {
    const missing = await this.policies.missing();
    if (missing.length > 0) {
      this.metrics.retentionPolicyMissing.inc();
      this.logger.error(`retention policy missing for profile(s) ${missing.join(', ')}: expiry cannot be assigned under them; run the migrations`);
    }
    for (const { profile, version } of await this.policies.unapplied()) {
      await this.jobs.enqueue('recompute-expiry', { profile, version });
    }
    const result = await this.sweep({ collect: false });
    if (missing.length > 0) throw new RetentionPolicyMissing(missing.join(', '));
    return result;
  }

  /** The last real sweep (dry runs are not recorded). */
  async lastSweep(): Promise<{ at: string; found: number; queued: number; deleted: number; failed: number } | null> {
    const r = await this.sweeps.last();
    if (!r) return null;
    return { at: r.started_at.toISOString(), found: r.found, queued: r.queued, deleted: r.deleted, failed: r.failed };
  }

  /** Expired first, then requested; an artifact both expired and requested is handled once. */
  private async walk(at: Date, queuedBefore: Date | null, handle: (page: DueArtifact[]) => Promise<void>): Promise<void> {
    const seen = new Set<string>();
    let cursor: DueCursor | null = null;
    do {
      const page = await this.due.expiredPage(at, cursor, queuedBefore);
      for (const a of page.rows) seen.add(a.id);
      if (page.rows.length > 0) await handle(page.rows);
      cursor = page.next;
    } while (cursor);
    do {
      const page = await this.due.requestedPage(cursor, queuedBefore);
      const fresh = page.rows.filter((a) => !seen.has(a.id));
      if (fresh.length > 0) await handle(fresh);
      cursor = page.next;
    } while (cursor);
  }

  /**
   * One `delete-artifacts` job per page: its objects go in one DeleteObjects call. Marked queued
   * first (a job that started would hold the rows), unmarked if the job could not be queued.
   */
  private async enqueue(result: SweepResult, page: DueArtifact[], options: SweepOptions): Promise<void> {
    const ids = page.map((a) => a.id);
    await this.due.markQueued(ids, this.clock.now());
    try {
      await this.jobs.enqueue('delete-artifacts', { artifactIds: ids });
    } catch (error) {
      await this.due.markQueued(ids, null);
      throw error;
    }
    result.queued += page.length;
    this.collect(result, page.map((a) => ({ ...a, outcome: 'queued' as const })), options);
  }

  private async deleteInline(result: SweepResult, page: DueArtifact[], at: Date, options: SweepOptions): Promise<void> {
    let done: SweptArtifact[];
    try {
      const outcomes = await this.deletion.deleteArtifacts(page.map((a) => a.id), at);
      done = page.map((a) => ({ id: a.id, kind: a.kind, reason: a.reason, outcome: outcomes.get(a.id) ?? 'skipped' }));
    } catch (error) {
      done = page.map((a) => ({ id: a.id, kind: a.kind, reason: a.reason, outcome: 'failed' as const, error: (error as Error).message }));
    }
    result.deleted += done.filter((d) => d.outcome === 'deleted').length;
    result.failed += done.filter((d) => d.outcome === 'failed').length;
    this.collect(result, done, options);
  }

  private collect(result: SweepResult, items: SweptArtifact[], options: SweepOptions): void {
    result.found += items.length;
    if (options.collect === false) return;
    for (const { id, kind, reason, outcome, error } of items) result.artifacts.push({ id, kind, reason, outcome, ...(error ? { error } : {}) });
  }

  private async record(result: SweepResult, startedAt: Date, at: Date, mode: 'queue' | 'inline'): Promise<void> {
    const { found, queued, deleted, failed } = result;
    await this.sweeps.record({ startedAt, finishedAt: this.clock.now(), asOf: at, mode, found, queued, deleted, failed });
    await this.sweeps.pruneOlderThan(startedAt, HISTORY_DAYS);
  }
}
