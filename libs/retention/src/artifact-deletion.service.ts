import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';
import { JobQueue } from '@lib/jobs';
import { ObjectStore } from '@lib/storage';
import { heldArtifactSql } from './hold-coverage';

export type DeletionCause = 'expired' | 'opt_out' | 'erasure' | 'review';
export type DeletionOutcome = 'deleted' | 'held' | 'not_due' | 'skipped';

export class ObjectsRemain extends Error {
  constructor(count: number) {
    super(`${count} object(s) still in storage after deletion; will try again`);
    this.name = 'ObjectsRemain';
  }
}

interface DeletionTarget {
  id: string;
  kind: string;
  status: string;
  storage_key: string;
  expires_at: Date | null;
  delete_requested_at: Date | null;
  delete_reason: string | null;
  policy_profile: string | null;
  policy_version: number | null;
  recording_id: string | null;
  held: boolean;
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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: ObjectStore,
    private readonly audit: AuditTrail,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  /**
   * Asks for artifacts to go now rather than at expiry (opt-out, erasure). A file still being
   * archived is discarded instead: its copy is removed the moment it lands. Returns the ids whose
   * delete job was queued (the caller commits first when it passes its transaction).
   */
  async requestDeletion(artifactIds: string[], cause: DeletionCause, reason: string, manager?: EntityManager): Promise<string[]> {
    if (artifactIds.length === 0) return [];
    const m = manager ?? this.dataSource.manager;
    const now = this.clock.now();
    await m.query(
      `UPDATE artifacts SET status = 'discarded', reason = $2, updated_at = now()
       WHERE id = ANY($1) AND status = 'pending'`,
      [artifactIds, reason],
    );
    const [requested]: [Array<{ id: string }>, number] = await m.query(
      `UPDATE artifacts SET delete_requested_at = COALESCE(delete_requested_at, $2), delete_reason = COALESCE(delete_reason, $3),
         updated_at = now()
       WHERE id = ANY($1) AND status = 'stored' RETURNING id`,
      [artifactIds, now, `${cause}: ${reason}`],
    );
    const ids = requested.map((r) => r.id);
    const enqueue = async () => {
      for (const artifactId of ids) {
        await this.jobs.enqueue('delete-artifact', { artifactId }).catch((error: Error) => {
          this.logger.warn(`artifact ${artifactId}: delete job not queued (${error.message}); the sweep will pick it up`);
        });
      }
    };
    // Enqueue after the caller's transaction commits, or the job could read the row before the change.
    if (manager?.queryRunner?.isTransactionActive) setImmediate(() => void enqueue());
    else await enqueue();
    return ids;
  }

  /** The `delete-artifact` job (and the CLI's inline sweep). Idempotent. */
  async deleteArtifact(artifactId: string, at: Date = this.clock.now()): Promise<DeletionOutcome> {
    const target = await this.load(artifactId);
    if (!target || target.status !== 'stored') return 'skipped';
    const due = target.delete_requested_at !== null || (target.expires_at !== null && target.expires_at.getTime() <= at.getTime());
    if (!due) return 'not_due';
    if (target.held) return 'held';

    const keys = [target.storage_key, ...(await this.store.listKeys(`${target.storage_key}/`))];
    await this.store.deleteMany(keys);
    const remaining = (await Promise.all(keys.map((k) => this.store.head(k)))).filter((h) => h !== null).length +
      (await this.store.listKeys(`${target.storage_key}/`)).length;
    if (remaining > 0) throw new ObjectsRemain(remaining);

    const cause: DeletionCause = target.delete_requested_at ? (target.delete_reason?.split(':')[0] as DeletionCause) : 'expired';
    const reason = target.delete_reason ?? `expired under the ${target.policy_profile ?? 'strictest'} policy, version ${target.policy_version ?? 1}`;
    return this.dataSource.transaction(async (m) => {
      const [rows]: [unknown[], number] = await m.query(
        `UPDATE artifacts SET status = 'deleted', deleted_at = $2, reason = $3, updated_at = now()
         WHERE id = $1 AND status = 'stored' RETURNING id`,
        [artifactId, this.clock.now(), reason],
      );
      if (rows.length === 0) return 'skipped';
      const receipt = await this.audit.append(
        {
          actorId: 'retention',
          action: 'artifact.deleted',
          subjectType: 'artifact',
          subjectId: artifactId,
          details: {
            kind: target.kind,
            cause,
            recordingId: target.recording_id,
            policyProfile: target.policy_profile,
            policyVersion: target.policy_version,
            objects: keys.length,
          },
        },
        m,
      );
      await m.query('UPDATE artifacts SET deletion_audit_id = $2, deletion_audit_hash = $3 WHERE id = $1', [artifactId, receipt.id, receipt.hash]);
      return 'deleted' as const;
    });
  }

  private async load(artifactId: string): Promise<DeletionTarget | null> {
    const rows: DeletionTarget[] = await this.dataSource.query(
      `SELECT a.id, a.kind, a.status, a.storage_key, a.expires_at, a.delete_requested_at, a.delete_reason,
              a.policy_profile, a.policy_version, a.recording_id, ${heldArtifactSql('a')} AS held
       FROM artifacts a WHERE a.id = $1`,
      [artifactId],
    );
    return rows[0] ?? null;
  }
}
