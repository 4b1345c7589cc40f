import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';
import { heldArtifactSql } from './hold-coverage';

export interface DueArtifact {
  id: string;
  kind: string;
  expiresAt: Date | null;
  deleteRequestedAt: Date | null;
  reason: string;
}

/** Where the previous page ended: the last row's sort key, carried as text (no precision lost). */
export interface DueCursor {
  at: string;
  id: string;
}

export const SWEEP_PAGE = 1000;

export interface ClassCount {
  retention_class: string | null;
  stored: number;
  due: number;
}

interface DueRow {
  id: string;
  kind: string;
  expires_at: Date | null;
  delete_requested_at: Date | null;
  delete_reason: string | null;
  policy_profile: string | null;
  policy_version: number | null;
  cursor_at: string;
}

/**
 * The sweep's two questions, one page at a time, each answered from its partial index so the cost
 * follows what is due, not the size of the table:
 * - expired: `status = 'stored' AND expires_at <= at`, walking `artifacts_due (expires_at, id)`;
 * - requested (opt-out, erasure): `status = 'stored' AND delete_requested_at IS NOT NULL`, walking
 *   `artifacts_delete_requested (delete_requested_at, id)`.
 * Both skip what a hold covers. Pages are keyset cursors over the index's own order.
 */
@Injectable()
export class DueArtifacts {
  constructor(private readonly sql: Sql) {}

  /** `queuedBefore`: leave out what a delete job was given since then (the queueing sweep only). */
  expiredPage(at: Date, after: DueCursor | null, queuedBefore: Date | null = null, limit = SWEEP_PAGE) {
    const q = expiredPageQuery(at, after, queuedBefore, limit);
    return this.page(q.sql, q.params, limit);
  }

  requestedPage(after: DueCursor | null, queuedBefore: Date | null = null, limit = SWEEP_PAGE) {
    const q = requestedPageQuery(after, queuedBefore, limit);
    return this.page(q.sql, q.params, limit);
  }

  /** Notes that a delete job now has these artifacts (see `queuedBefore`); null takes the note back. */
  async markQueued(ids: string[], at: Date | null): Promise<void> {
    await this.sql.run(`UPDATE artifacts SET delete_queued_at = $2 WHERE id = ANY($1) AND status = 'stored'`, [ids, at]);
  }

  /** Stored, unheld artifacts that expired, or were asked to go, before `cutoff`. */
  async countOverdue(cutoff: Date): Promise<number> {
    const row = await this.sql.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT a.id FROM artifacts a WHERE a.status = 'stored' AND a.expires_at < $1 AND NOT ${heldArtifactSql('a')}
         UNION
         SELECT a.id FROM artifacts a WHERE a.status = 'stored' AND a.delete_requested_at < $1 AND NOT ${heldArtifactSql('a')}
       ) overdue`,
      [cutoff],
    );
    return row!.n;
  }

  /** Per retention class (null: not yet assigned): stored artifacts and, of those, how many are due at `at` (held ones included). */
  async countByClass(at: Date): Promise<ClassCount[]> {
    return this.sql.rows<ClassCount>(
      `SELECT retention_class, count(*)::int AS stored,
              count(*) FILTER (WHERE expires_at <= $1 OR delete_requested_at IS NOT NULL)::int AS due
       FROM artifacts WHERE status = 'stored' GROUP BY retention_class`,
      [at],
    );
  }

  private async page(sql: string, params: unknown[], limit: number): Promise<{ rows: DueArtifact[]; next: DueCursor | null }> {
    const rows = await this.sql.rows<DueRow>(sql, params);
    const last = rows[rows.length - 1];
    return {
      rows: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        expiresAt: r.expires_at,
        deleteRequestedAt: r.delete_requested_at,
        reason: r.delete_reason ?? `expired under the ${r.policy_profile ?? 'strictest'} policy, version ${r.policy_version ?? 1}`,
      })),
      next: rows.length === limit && last ? { at: last.cursor_at, id: last.id } : null,
    };
  }
}

/** The expired-page query and its parameters, as the sweep runs it (benchmarks and reviews EXPLAIN it). */
export function expiredPageQuery(at: Date, after: DueCursor | null, queuedBefore: Date | null = null, limit = SWEEP_PAGE) {
  const params: unknown[] = [at];
  const cursor = after ? `AND (a.expires_at, a.id) > ($${params.push(after.at)}::timestamptz, $${params.push(after.id)}::uuid)` : '';
  const queued = queuedBefore ? `AND (a.delete_queued_at IS NULL OR a.delete_queued_at < $${params.push(queuedBefore)})` : '';
  const sql = `
    SELECT ${COLUMNS}, a.expires_at::text AS cursor_at
    FROM artifacts a
    WHERE a.status = 'stored' AND a.expires_at <= $1 ${cursor} ${queued}
      AND NOT ${heldArtifactSql('a')}
    ORDER BY a.expires_at, a.id
    LIMIT $${params.push(limit)}`;
  return { sql, params };
}

export function requestedPageQuery(after: DueCursor | null, queuedBefore: Date | null = null, limit = SWEEP_PAGE) {
  const params: unknown[] = [];
  const cursor = after ? `AND (a.delete_requested_at, a.id) > ($${params.push(after.at)}::timestamptz, $${params.push(after.id)}::uuid)` : '';
  const queued = queuedBefore ? `AND (a.delete_queued_at IS NULL OR a.delete_queued_at < $${params.push(queuedBefore)})` : '';
  const sql = `
    SELECT ${COLUMNS}, a.delete_requested_at::text AS cursor_at
    FROM artifacts a
    WHERE a.status = 'stored' AND a.delete_requested_at IS NOT NULL ${cursor} ${queued}
      AND NOT ${heldArtifactSql('a')}
    ORDER BY a.delete_requested_at, a.id
    LIMIT $${params.push(limit)}`;
  return { sql, params };
}

const COLUMNS = `a.id, a.kind, a.expires_at, a.delete_requested_at, a.delete_reason, a.policy_profile, a.policy_version`;
