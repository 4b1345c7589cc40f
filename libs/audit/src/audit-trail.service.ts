import { Injectable } from '@nestjs/common';
import { Sql, Transactions } from '@lib/database';
import { Clock } from '@lib/clock';
import { auditHash, AuditFact, ChainCheck, checkChain, GENESIS_HASH } from './audit-chain';

/** Any 64-bit constant: the advisory lock that serialises appends to the hash chain. */
const AUDIT_CHAIN_LOCK = 7_302_115_001;
const VERIFY_PAGE = 2000;

export type AuditInput = Omit<AuditFact, 'at'> & { at?: Date };

export interface AuditListItem {
  id: string;
  at: string;
  actorId: string;
  action: string;
  subjectType: string;
  subjectId: string;
}

@Injectable()
export class AuditTrail {
  constructor(
    private readonly sql: Sql,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
  ) {}

  /**
   * Appends one row, inside the caller's transaction when there is one, so the row commits (or not)
   * together with the change it records. Returns the row's id and hash (a receipt).
   */
  async append(input: AuditInput): Promise<{ id: string; hash: string }> {
    return (await this.appendMany([input]))[0];
  }

  /**
   * Appends several rows, chained in the given order, under one lock and in one INSERT (a batch of
   * deletions). Joins the caller's transaction. Returns each row's receipt, in order. The chain's
   * lock is taken last in any transaction (after its row locks) and held until it commits.
   */
  async appendMany(inputs: AuditInput[]): Promise<Array<{ id: string; hash: string }>> {
    if (inputs.length === 0) return [];
    return this.transactions.run(() => this.chain(inputs));
  }

  private async chain(inputs: AuditInput[]): Promise<Array<{ id: string; hash: string }>> {
    await this.sql.rows('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    const last: { hash: string }[] = await this.sql.rows('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
    let prevHash = last[0]?.hash ?? GENESIS_HASH;
    const columns = { at: [] as Date[], actor: [] as string[], action: [] as string[], type: [] as string[], subject: [] as string[], details: [] as string[], prev: [] as string[], hash: [] as string[] };
    for (const input of inputs) {
      const at = new Date(Math.floor((input.at ?? this.clock.now()).getTime()));
      const fact: AuditFact = { ...input, at, details: input.details ?? {} };
      const hash = auditHash(prevHash, fact);
      columns.at.push(at);
      columns.actor.push(fact.actorId);
      columns.action.push(fact.action);
      columns.type.push(fact.subjectType);
      columns.subject.push(fact.subjectId);
      columns.details.push(JSON.stringify(fact.details));
      columns.prev.push(prevHash);
      columns.hash.push(hash);
      prevHash = hash;
    }
    // Rows are inserted (and take their ids) in the chain's order.
    const rows: { id: string; hash: string }[] = await this.sql.rows(
      `INSERT INTO audit_log (at, actor_id, action, subject_type, subject_id, details, prev_hash, hash)
       SELECT at, actor_id, action, subject_type, subject_id, details::jsonb, prev_hash, hash
       FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
         WITH ORDINALITY AS f(at, actor_id, action, subject_type, subject_id, details, prev_hash, hash, n)
       ORDER BY n
       RETURNING id, hash`,
      [columns.at, columns.actor, columns.action, columns.type, columns.subject, columns.details, columns.prev, columns.hash],
    );
    const idOf = new Map(rows.map((r) => [r.hash, String(r.id)]));
    return columns.hash.map((hash) => ({ id: idOf.get(hash)!, hash }));
  }

  /** Newest first, ids only. */
  async list(filter: { subjectId?: string; limit?: number }): Promise<AuditListItem[]> {
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
    const rows = await this.sql.rows(
      `SELECT id, at, actor_id, action, subject_type, subject_id FROM audit_log
       WHERE ($1::text IS NULL OR subject_id = $1) ORDER BY id DESC LIMIT $2`,
      [filter.subjectId ?? null, limit],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: String(r.id),
      at: (r.at as Date).toISOString(),
      actorId: r.actor_id as string,
      action: r.action as string,
      subjectType: r.subject_type as string,
      subjectId: r.subject_id as string,
    }));
  }

  /** Re-computes the whole chain in id order, a page at a time. */
  async verify(): Promise<Omit<ChainCheck, 'lastHash'>> {
    let prevHash = GENESIS_HASH;
    let afterId = '0';
    let checked = 0;
    for (;;) {
      const rows = await this.sql.rows(
        `SELECT id, at, actor_id, action, subject_type, subject_id, details, prev_hash, hash
         FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2`,
        [afterId, VERIFY_PAGE],
      );
      if (rows.length === 0) return { ok: true, checked, firstBrokenId: null };
      const result = checkChain(
        rows.map((r: Record<string, unknown>) => ({
          id: String(r.id),
          at: r.at as Date,
          actorId: r.actor_id as string,
          action: r.action as string,
          subjectType: r.subject_type as string,
          subjectId: r.subject_id as string,
          details: r.details as AuditFact['details'],
          prevHash: r.prev_hash as string,
          hash: r.hash as string,
        })),
        prevHash,
      );
      checked += result.checked;
      if (!result.ok) return { ok: false, checked, firstBrokenId: result.firstBrokenId };
      prevHash = result.lastHash;
      afterId = String(rows[rows.length - 1].id);
    }
  }
}
