import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';
import { AuditFact, ChainedAuditRow, ChainLink } from './audit-chain';

/** Any 64-bit constant: the advisory lock that serialises appends to the hash chain. */
const AUDIT_CHAIN_LOCK = 7_302_115_001;

/** An appended row's receipt. */
export interface AuditReceipt {
  id: string;
  hash: string;
}

/** A row as the trail lists it: ids only. */
export interface AuditListRow {
  id: string;
  at: Date;
  actorId: string;
  action: string;
  subjectType: string;
  subjectId: string;
}

interface ListRow {
  id: string;
  at: Date;
  actor_id: string;
  action: string;
  subject_type: string;
  subject_id: string;
}

interface ChainRow extends ListRow {
  details: AuditFact['details'];
  prev_hash: string;
  hash: string;
}

const listItem = (r: ListRow): AuditListRow => ({
  id: String(r.id), // bigserial: node-pg answers a string
  at: r.at,
  actorId: r.actor_id,
  action: r.action,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
});

/** The `audit_log` table. Every statement joins the ambient transaction. */
@Injectable()
export class AuditRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Serialises appends to the chain until the transaction ends. Lock order: taken LAST in any
   * transaction (after its row locks and any class-wide advisory locks), so the chain's lock is
   * never held while waiting for a row.
   */
  async lockChain(): Promise<void> {
    await this.sql.run('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
  }

  /** The newest row's hash, or null for an empty trail. Call under `lockChain`. */
  async lastHash(): Promise<string | null> {
    const row = await this.sql.one<{ hash: string }>('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
    return row?.hash ?? null;
  }

  /** Inserts the links in one statement; rows take their ids in the chain's order. Receipts in that order. */
  async insertLinks(links: ChainLink[]): Promise<AuditReceipt[]> {
    const column = <T>(pick: (l: ChainLink) => T) => links.map(pick);
    const rows = await this.sql.rows<AuditReceipt>(
      `INSERT INTO audit_log (at, actor_id, action, subject_type, subject_id, details, prev_hash, hash)
       SELECT at, actor_id, action, subject_type, subject_id, details::jsonb, prev_hash, hash
       FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
         WITH ORDINALITY AS f(at, actor_id, action, subject_type, subject_id, details, prev_hash, hash, n)
       ORDER BY n
       RETURNING id, hash`,
      [
        column((l) => l.fact.at),
        column((l) => l.fact.actorId),
        column((l) => l.fact.action),
        column((l) => l.fact.subjectType),
        column((l) => l.fact.subjectId),
        column((l) => JSON.stringify(l.fact.details)),
        column((l) => l.prevHash),
        column((l) => l.hash),
      ],
    );
    const idOf = new Map(rows.map((r) => [r.hash, String(r.id)]));
    return links.map(({ hash }) => ({ id: idOf.get(hash)!, hash }));
  }

  /** Newest first, optionally of one subject. */
  async newest(subjectId: string | null, limit: number): Promise<AuditListRow[]> {
    const rows = await this.sql.rows<ListRow>(
      `SELECT id, at, actor_id, action, subject_type, subject_id FROM audit_log
       WHERE ($1::text IS NULL OR subject_id = $1) ORDER BY id DESC LIMIT $2`,
      [subjectId, limit],
    );
    return rows.map(listItem);
  }

  /** The chain in id order after `afterId`, one page. */
  async chainPage(afterId: string, limit: number): Promise<ChainedAuditRow[]> {
    const rows = await this.sql.rows<ChainRow>(
      `SELECT id, at, actor_id, action, subject_type, subject_id, details, prev_hash, hash
       FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map((r) => ({ ...listItem(r), details: r.details, prevHash: r.prev_hash, hash: r.hash }));
  }
}
