import { Injectable, Logger } from '@nestjs/common';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';
import { Transactions } from '@lib/database';
import { JobQueue } from '@lib/jobs';
import { ObjectStore } from '@lib/storage';
import { ResearchRepository } from './research.repository';

export type RevocationCause = 'consent_withdrawn' | 'erasure';
/** Exports expired per pass. */
const EXPIRY_PAGE = 100;

/**
 * Revocation (issue 14 item 7; POLICIES §4): a person's research withdrawal, or their erasure, marks
 * every built export containing them `revoked` and deletes its archive at once (a revoked export is
 * never downloadable again); a study that asks for it gets a rebuild without them (queued, approved
 * by the original decision). Expiry: an export ends with its study's data-use agreement.
 */
@Injectable()
export class ExportRevocation {
  private readonly logger = new Logger(ExportRevocation.name);

  constructor(
    private readonly research: ResearchRepository,
    private readonly transactions: Transactions,
    private readonly store: ObjectStore,
    private readonly jobs: JobQueue,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  /** Revokes every building or ready export holding the person (in one study, or all). Returns how many. */
  async revokeContaining(personId: string, cause: RevocationCause, actorId: string, studyId: string | null = null): Promise<number> {
    return this.transactions.run(async () => {
      const now = this.clock.now();
      const exports = await this.research.lockExportsContaining(personId, studyId);
      for (const e of exports) {
        const revoked = await this.research.move(e.id, ['building', 'ready'], 'revoked', now, { revokedReason: cause });
        if (!revoked) continue;
        if (e.storage_key) {
          const key = e.storage_key;
          await this.transactions.afterCommit(() => this.store.deleteMany([key]));
        }
        const study = await this.research.study(e.study_id);
        let rebuildId: string | null = null;
        if (study?.rebuild_on_revocation && study.agreement_expires_at.getTime() > now.getTime()) {
          const rebuild = await this.research.insertExport({
            studyId: e.study_id,
            criteria: e.criteria,
            requestedBy: e.requested_by,
            at: now,
            status: 'approved',
            rebuiltFrom: e.id,
            decidedBy: e.decided_by,
          });
          rebuildId = rebuild!.id;
          await this.transactions.afterCommit(() => this.jobs.enqueue('build-export', { exportId: rebuildId! }));
        }
        await this.audit.append({ actorId, action: 'export.revoked', subjectType: 'export', subjectId: e.id, details: { studyId: e.study_id, cause, rebuildId } });
      }
      if (exports.length > 0) this.logger.log(`person ${personId}: ${exports.length} export(s) revoked (${cause})`);
      return exports.length;
    });
  }

  /** Exports past their study's agreement: expired, archive deleted. Returns how many. */
  async expireDue(): Promise<number> {
    const due = await this.research.readyExpiredBy(this.clock.now(), EXPIRY_PAGE);
    let expired = 0;
    for (const e of due) {
      const moved = await this.transactions.run(async () => {
        const row = await this.research.move(e.id, ['ready'], 'expired', this.clock.now());
        if (row) await this.audit.append({ actorId: 'recording-service', action: 'export.expired', subjectType: 'export', subjectId: e.id, details: { studyId: e.study_id } });
        return row;
      });
      if (moved && e.storage_key) await this.store.deleteMany([e.storage_key]);
      if (moved) expired += 1;
    }
    return expired;
  }
}
