import { Injectable, Logger } from '@nestjs/common';
import { Transactions } from '@lib/database';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';
import { JobQueue } from '@lib/jobs';
import { ObjectStore } from '@lib/storage';
import { DeletableArtifacts, DeletionCandidate } from './deletable-artifacts.repository';
import { HoldRepository } from './hold.repository';

export type DeletionCause = 'expired' | 'opt_out' | 'erasure' | 'review';
export type DeletionOutcome = 'deleted' | 'held' | 'not_due' | 'skipped';

export class ObjectsRemain extends Error {
  constructor(count: number) {
    super(`${count} object(s) still in storage after deletion; will try again`);
    this.name = 'ObjectsRemain';
  }
}

/**
 * Artifacts whose derived objects live under `<key>/` (a stream rendition's segments and keys) or
 * that are marked as having such objects: only these are listed before and after deletion. Every
 * other artifact is exactly one object (CONTRACT, "Artifacts").
 */
const KINDS_WITH_NESTED_OBJECTS = new Set(['stream']);

/** How long a deletion waits for another one holding the same rows (a batch takes about a second). */
const LOCK_WAIT_MS = 60_000;

function hasNestedObjects(kind: string): boolean {
  return KINDS_WITH_NESTED_OBJECTS.has(kind);
}

/**
 * The one way anything stored is deleted: expiry, opt-out, erasure or review alike. Every object
 * of the artifact goes (its own and derived ones under `<key>/`), their absence is confirmed, and
 * only then is the artifact marked deleted, with its reason, the policy version and the hash of
 * its audit entry (the deletion receipt). A hold pauses all of it.
 */
@Injectable()
export class ArtifactDeletion {
  private readonly logger = new Logger(ArtifactDeletion.name);

  constructor(
    private readonly artifacts: DeletableArtifacts,
    private readonly holds: HoldRepository,
    private readonly transactions: Transactions,
    private readonly store: ObjectStore,
    private readonly audit: AuditTrail,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  /**
   * Asks for artifacts to go now rather than at expiry (opt-out, erasure). A file still being
   * archived is discarded instead: its copy is removed the moment it lands. Returns the ids marked
   * for deletion. Their delete jobs are queued once the caller's transaction commits (a job queued
   * earlier could read the row before the change and find nothing due). The sweep picks up
   * anything whose job was lost.
   */
  async requestDeletion(artifactIds: string[], cause: DeletionCause, reason: string): Promise<string[]> {
    if (artifactIds.length === 0) return [];
    const now = this.clock.now();
    await this.artifacts.discardPending(artifactIds, reason, now, `${cause}: ${reason}`);
    const ids = await this.artifacts.markRequested(artifactIds, now, `${cause}: ${reason}`);
    await this.transactions.afterCommit(() => this.enqueueDeletions(ids));
    return ids;
  }

  /** Queues the delete jobs of artifacts marked for deletion (after the marking committed). */
  async enqueueDeletions(artifactIds: string[]): Promise<void> {
    for (const artifactId of artifactIds) {
      await this.jobs.enqueue('delete-artifact', { artifactId }).catch((error: Error) => {
        this.logger.warn(`artifact ${artifactId}: delete job not queued (${error.message}); the sweep will pick it up`);
      });
    }
  }

  /** The `delete-artifact` job: one artifact. Idempotent. */
  async deleteArtifact(artifactId: string, at: Date = this.clock.now()): Promise<DeletionOutcome> {
    return (await this.deleteArtifacts([artifactId], at)).get(artifactId) ?? 'skipped';
  }

  /**
   * The `delete-artifacts` job (a page of the sweep) and the CLI's inline sweep; `deleteArtifact`
   * is this with one id. Idempotent, and safe when two callers overlap: each artifact row is locked
   * (`FOR UPDATE`, in id order) from before its objects are deleted until it is marked deleted, so
   * a second caller waits for the first and then finds the row deleted (it is re-read after the
   * wait): an object is deleted once and one audit entry is written. Waits are bounded
   * (`lock_timeout`); a caller that times out fails and is retried.
   *
   * Holds: once its rows are locked the batch takes the hold lock shared and only then reads
   * coverage, so it never deletes what a hold answered before covers, and a hold placed while it
   * deletes is answered after it commits (`HoldRegistry.place`). Do not call this inside a
   * transaction that has already appended to the audit trail (lock order: rows, holds, audit).
   *
   * Storage must confirm every object gone (DeleteObjects answers per key, batches of 1000);
   * derived objects under `<key>/` are listed and re-listed for artifacts that can have them.
   * Any storage error rolls the batch back: nothing is marked deleted while an object remains,
   * and the job is retried.
   */
  async deleteArtifacts(artifactIds: string[], at: Date = this.clock.now()): Promise<Map<string, DeletionOutcome>> {
    const outcomes = new Map<string, DeletionOutcome>(artifactIds.map((id) => [id, 'skipped']));
    if (artifactIds.length === 0) return outcomes;
    await this.transactions.run(async () => {
      // Lock order: the artifact rows (id order), then the hold lock (shared), then the audit trail.
      const targets = await this.artifacts.lockForDeletion(artifactIds, LOCK_WAIT_MS);
      const candidates: DeletionCandidate[] = [];
      for (const t of targets) {
        const isDue = t.delete_requested_at !== null || (t.expires_at !== null && t.expires_at.getTime() <= at.getTime());
        if (isDue) candidates.push(t);
        else outcomes.set(t.id, 'not_due');
      }
      if (candidates.length === 0) return;
      // Coverage is read only now, after the rows (which may have been waited for) and under the
      // hold lock, by a statement of its own: its snapshot includes every hold answered before, and
      // a hold placed from here on waits until this batch has committed.
      await this.holds.lockAgainstPlacement();
      const held = await this.holds.coveredArtifactIds(candidates.map((t) => t.id));
      const due: DeletionCandidate[] = [];
      for (const t of candidates) {
        if (held.has(t.id)) outcomes.set(t.id, 'held');
        else due.push(t);
      }
      if (due.length === 0) return;

      const nested = due.filter((t) => hasNestedObjects(t.kind));
      const keysOf = new Map<string, string[]>(due.map((t) => [t.id, [t.storage_key]]));
      for (const t of nested) keysOf.get(t.id)!.push(...(await this.store.listKeys(`${t.storage_key}/`)));
      await this.store.deleteMany([...keysOf.values()].flat());
      let remaining = 0;
      for (const t of nested) remaining += (await this.store.listKeys(`${t.storage_key}/`)).length;
      if (remaining > 0) throw new ObjectsRemain(remaining);

      const now = this.clock.now();
      const facts = due.map((t) => {
        const cause: DeletionCause = t.delete_requested_at ? (t.delete_reason?.split(':')[0] as DeletionCause) : 'expired';
        const reason = t.delete_reason ?? `expired under the ${t.policy_profile ?? 'strictest'} policy, version ${t.policy_version ?? 1}`;
        return { t, cause, reason };
      });
      await this.artifacts.markDeleted(facts.map((f) => ({ id: f.t.id, reason: f.reason })), now);
      const receipts = await this.audit.appendMany(
        facts.map(({ t, cause }) => ({
          actorId: 'retention',
          action: 'artifact.deleted',
          subjectType: 'artifact',
          subjectId: t.id,
          details: {
            kind: t.kind,
            cause,
            recordingId: t.recording_id,
            policyProfile: t.policy_profile,
            policyVersion: t.policy_version,
            objects: keysOf.get(t.id)!.length,
          },
        })),
      );
      await this.artifacts.attachReceipts(facts.map((f, i) => ({ id: f.t.id, auditId: receipts[i].id, auditHash: receipts[i].hash })));
      for (const t of due) outcomes.set(t.id, 'deleted');
    });
    return outcomes;
  }
}
