import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';
import { heldArtifactSql } from './hold-coverage';

/** A stored artifact locked by a deletion batch: what the batch needs to judge and delete it. */
export interface DeletionCandidate {
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
}

/** One artifact's deletion as the row records it. */
export interface DeletionFact {
  id: string;
  reason: string;
}

/** The audit entry that records a deletion (its receipt). */
export interface DeletionReceipt {
  id: string;
  auditId: string;
  auditHash: string;
}

/** Artifacts on their way out: deletion requests, the batch's row locks, and the deleted state. */
@Injectable()
export class DeletableArtifacts {
  constructor(private readonly sql: Sql) {}

  /**
   * A file still being archived is discarded: its copy is removed the moment it lands. A hold
   * covers files still being archived too (issue 11 A.2): a held pending file is not discarded; it
   * keeps the request instead, is archived as usual and deleted once the hold is released (the
   * sweep takes stored, unheld artifacts whose deletion was requested).
   */
  async discardPending(artifactIds: string[], reason: string, at: Date, requestReason: string): Promise<void> {
    await this.sql.run(
      `UPDATE artifacts a SET
         status = CASE WHEN p.held THEN a.status ELSE 'discarded' END,
         reason = CASE WHEN p.held THEN a.reason ELSE $2 END,
         delete_requested_at = CASE WHEN p.held THEN COALESCE(a.delete_requested_at, $3) ELSE a.delete_requested_at END,
         delete_reason = CASE WHEN p.held THEN COALESCE(a.delete_reason, $4) ELSE a.delete_reason END,
         updated_at = now()
       FROM (SELECT x.id, ${heldArtifactSql('x')} AS held FROM artifacts x WHERE x.id = ANY($1) AND x.status = 'pending') p
       WHERE a.id = p.id AND a.status = 'pending'`,
      [artifactIds, reason, at, requestReason],
    );
  }

  /** Marks stored artifacts for deletion (the first request's time and reason stay); returns their ids. */
  async markRequested(artifactIds: string[], at: Date, reason: string): Promise<string[]> {
    const rows = await this.sql.rows<{ id: string }>(
      `UPDATE artifacts SET delete_requested_at = COALESCE(delete_requested_at, $2), delete_reason = COALESCE(delete_reason, $3),
         updated_at = now()
       WHERE id = ANY($1) AND status = 'stored' RETURNING id`,
      [artifactIds, at, reason],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Locks the artifacts still stored (`FOR UPDATE`, in id order) until the transaction ends,
   * waiting at most `waitMs` for another deletion holding them; rows are re-read after the wait.
   */
  async lockForDeletion(artifactIds: string[], waitMs: number): Promise<DeletionCandidate[]> {
    await this.sql.run(`SET LOCAL lock_timeout = '${Math.floor(waitMs)}ms'`);
    return this.sql.rows<DeletionCandidate>(
      `SELECT a.id, a.kind, a.status, a.storage_key, a.expires_at, a.delete_requested_at, a.delete_reason,
              a.policy_profile, a.policy_version, a.recording_id
       FROM artifacts a WHERE a.id = ANY($1) AND a.status = 'stored'
       ORDER BY a.id FOR UPDATE OF a`,
      [artifactIds],
    );
  }

  async markDeleted(facts: DeletionFact[], at: Date): Promise<void> {
    await this.sql.run(
      `UPDATE artifacts a SET status = 'deleted', deleted_at = $2, reason = v.reason, updated_at = now()
       FROM unnest($1::uuid[], $3::text[]) AS v(id, reason) WHERE a.id = v.id AND a.status = 'stored'`,
      [facts.map((f) => f.id), at, facts.map((f) => f.reason)],
    );
  }

  async attachReceipts(receipts: DeletionReceipt[]): Promise<void> {
    await this.sql.run(
      `UPDATE artifacts a SET deletion_audit_id = v.audit_id, deletion_audit_hash = v.hash
       FROM unnest($1::uuid[], $2::bigint[], $3::text[]) AS v(id, audit_id, hash) WHERE a.id = v.id`,
      [receipts.map((r) => r.id), receipts.map((r) => r.auditId), receipts.map((r) => r.auditHash)],
    );
  }
}
