import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { SingleRunner } from '@lib/database';
import { Metrics } from '@lib/observability';
import { ListedObject, ObjectStore } from '@lib/storage';
import { ObjectReconcilerRepository, OrphanCause } from './object-reconciler.repository';

/**
 * Where our keys live (object-keys.ts, uploads, consent evidence, research exports): recordings `r/`,
 * uploads `u/`, evidence `e/`, export archives `x/`. Anything else in the bucket is not ours to judge
 * and is never touched.
 */
export const RECONCILED_PREFIXES = ['r/', 'u/', 'e/', 'x/'] as const;
const PAGE = 1000;
/** Any 64-bit constant: one reconciliation at a time across the fleet. */
const RECONCILE_LOCK = 7_302_115_202;

export interface ReconcileOptions {
  /** Lists what would go, deletes nothing. */
  dryRun?: boolean;
}

export interface Orphan {
  key: string;
  cause: OrphanCause;
  artifactId: string | null;
}

export interface ReconcileResult {
  /** False when another reconciliation held the lock (nothing was done). */
  ran: boolean;
  at: string;
  listed: number;
  /** Orphans younger than the grace period: kept this time. */
  young: number;
  orphans: Orphan[];
  deleted: number;
  failed: number;
}

/**
 * Objects never outlive their rows. Walks the bucket a page at a time and deletes every object
 * under our prefixes that no live row references (repository) and that is older than
 * OBJECT_RECONCILE_GRACE_HOURS: a copy whose cleanup failed after a discard, an upload refused or
 * rolled back whose removal failed, an object re-created after its row was deleted, a stray. The
 * grace period covers writes whose row commits after the object (uploads, evidence). One run at a
 * time across all workers (advisory lock); each deletion audited (`object.reconciled`, the key and
 * the owning artifact's id only) and counted in /metrics.
 */
@Injectable()
export class ObjectReconciler {
  private readonly logger = new Logger(ObjectReconciler.name);

  constructor(
    private readonly singleRunner: SingleRunner,
    private readonly store: ObjectStore,
    private readonly repository: ObjectReconcilerRepository,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async reconcile(options: ReconcileOptions = {}): Promise<ReconcileResult> {
    const startedAt = this.clock.now();
    const result: ReconcileResult = { ran: true, at: startedAt.toISOString(), listed: 0, young: 0, orphans: [], deleted: 0, failed: 0 };
    const cutoff = startedAt.getTime() - this.config.retention.objectReconcileGraceHours * 3_600_000;
    const ran = await this.singleRunner.runExclusive(RECONCILE_LOCK, async () => {
      for (const prefix of RECONCILED_PREFIXES) {
        let token: string | null = null;
        do {
          const page = await this.store.listPage(prefix, token, PAGE);
          await this.reconcilePage(page.objects, cutoff, result, options);
          token = page.next;
        } while (token);
      }
      return true;
    });
    if (!ran) return { ...result, ran: false };
    if (!options.dryRun) {
      this.metrics.reconcileLastRun.set(this.clock.now().getTime() / 1000);
      this.metrics.reconcileDuration.set((this.clock.now().getTime() - startedAt.getTime()) / 1000);
    }
    if (result.orphans.length > 0 || result.failed > 0) {
      this.logger.log(`reconciled ${result.listed} object(s): ${result.orphans.length} orphaned, ${result.deleted} deleted, ${result.failed} failed`);
    }
    return result;
  }

  private async reconcilePage(objects: ListedObject[], cutoff: number, result: ReconcileResult, options: ReconcileOptions): Promise<void> {
    result.listed += objects.length;
    const owners = await this.repository.owners(objects.map((o) => o.key));
    const orphans: Orphan[] = [];
    for (const o of objects) {
      const owner = owners.get(o.key);
      if (!owner || owner.live) continue;
      if (o.lastModified.getTime() > cutoff) {
        result.young += 1;
        continue;
      }
      orphans.push({ key: o.key, cause: owner.cause ?? 'no_row', artifactId: owner.artifactId });
    }
    result.orphans.push(...orphans);
    if (options.dryRun || orphans.length === 0) return;
    try {
      await this.store.deleteMany(orphans.map((o) => o.key));
    } catch (error) {
      // The next run finds them again; one page failing does not stop the walk.
      result.failed += orphans.length;
      this.logger.warn(`could not delete ${orphans.length} orphaned object(s) (${(error as Error).name}); next run retries`);
      return;
    }
    for (const o of orphans) {
      await this.audit.append({
        actorId: 'object-reconciler',
        action: 'object.reconciled',
        subjectType: 'object',
        subjectId: o.key,
        details: { cause: o.cause, ...(o.artifactId ? { artifactId: o.artifactId } : {}) },
      });
      this.metrics.orphanObjectsDeleted.inc({ cause: o.cause });
      result.deleted += 1;
    }
  }
}
