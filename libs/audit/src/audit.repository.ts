import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';
import { AuditFact } from './audit-chain';
import type { SealedEvent, StoredEvent } from './audit-seal';

/** Any 64-bit constant: the transaction-level lock one sealer holds while it seals (never taken by appends). */
const AUDIT_SEAL_LOCK = 7_302_115_001;

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
  prev_hash: string | null;
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

/** An event from its row, written out rather than spread from `listItem`: a full verification maps a million. */
const storedEvent = (r: ChainRow): StoredEvent => ({
  id: String(r.id),
  at: r.at,
  actorId: r.actor_id,
  action: r.action,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  details: r.details,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** The `audit_log` table. Every statement joins the ambient transaction. */
@Injectable()
export class AuditRepository {
  constructor(private readonly sql: Sql) {}

  /** Inserts events (content hashes, no chain, no lock) and notes them for the sealer. Receipts in input order. */
  async insertEvents(events: Array<AuditFact & { details: NonNullable<AuditFact['details']>; hash: string }>): Promise<AuditReceipt[]> {
    if (events.length === 1) {
      // Most transactions audit one event: plain values, no arrays to build, send and unnest.
      const [e] = events;
      const rows = await this.sql.rows<{ id: string; hash: string }>(
        `WITH inserted AS (
           INSERT INTO audit_log (at, actor_id, action, subject_type, subject_id, details, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, NULL, $7) RETURNING id, hash, at),
         noted AS (INSERT INTO unsealed_audit_events (event_id, at) SELECT id, at FROM inserted)
         SELECT id, hash FROM inserted`,
        [e.at, e.actorId, e.action, e.subjectType, e.subjectId, JSON.stringify(e.details), e.hash],
      );
      return rows.map((r) => ({ id: String(r.id), hash: r.hash }));
    }
    const column = <T>(pick: (e: (typeof events)[number]) => T) => events.map(pick);
    const rows = await this.sql.rows<{ id: string; hash: string; n: string }>(
      `WITH inserted AS (
         INSERT INTO audit_log (at, actor_id, action, subject_type, subject_id, details, prev_hash, hash)
         SELECT at, actor_id, action, subject_type, subject_id, details::jsonb, NULL, hash
         FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
           WITH ORDINALITY AS f(at, actor_id, action, subject_type, subject_id, details, hash, n)
         ORDER BY n
         RETURNING id, hash, at),
       noted AS (INSERT INTO unsealed_audit_events (event_id, at) SELECT id, at FROM inserted)
       SELECT id, hash FROM inserted ORDER BY id`,
      [
        column((e) => e.at),
        column((e) => e.actorId),
        column((e) => e.action),
        column((e) => e.subjectType),
        column((e) => e.subjectId),
        column((e) => JSON.stringify(e.details)),
        column((e) => e.hash),
      ],
    );
    // Ids follow the input order (ORDER BY n); two identical events in one batch share a hash, so pair by position.
    return rows.map((r) => ({ id: String(r.id), hash: r.hash }));
  }

  /** One sealer at a time: a transaction-level lock, tried and never waited for (fine behind transaction pooling). */
  async trySealLock(): Promise<boolean> {
    return (await this.sql.one<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [AUDIT_SEAL_LOCK]))?.locked ?? false;
  }

  lastSeal(): Promise<{ seq: string; hash: string } | null> {
    // ORDER BY the column, not the text alias: '9' sorts after '10'.
    return this.sql.one<{ seq: string; hash: string }>('SELECT s.seq::text AS seq, s.hash FROM audit_seals s ORDER BY s.seq DESC LIMIT 1');
  }

  /** Committed events waiting for their seal, lowest id first (what the sealer can see is committed). */
  async pending(limit: number): Promise<Array<{ id: string; hash: string }>> {
    const rows = await this.sql.rows<{ id: string; hash: string }>(
      `SELECT e.id::text AS id, e.hash FROM unsealed_audit_events u JOIN audit_log e ON e.id = u.event_id ORDER BY u.event_id LIMIT $1`,
      [limit],
    );
    return rows;
  }

  async insertSeals(seals: Array<{ seq: string; eventId: string; prevHash: string; hash: string }>, at: Date): Promise<void> {
    if (seals.length === 0) return;
    await this.sql.run(
      `INSERT INTO audit_seals (seq, event_id, prev_hash, hash, sealed_at)
       SELECT s, e, p, h, $5 FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS x(s, e, p, h)`,
      [seals.map((x) => x.seq), seals.map((x) => x.eventId), seals.map((x) => x.prevHash), seals.map((x) => x.hash), at],
    );
    await this.sql.run('DELETE FROM unsealed_audit_events WHERE event_id = ANY($1::bigint[])', [seals.map((x) => x.eventId)]);
  }

  /** When the oldest unsealed event was written (null: none waiting). */
  async oldestUnsealed(): Promise<Date | null> {
    return (await this.sql.one<{ at: Date | null }>('SELECT min(at) AS at FROM unsealed_audit_events'))?.at ?? null;
  }

  /** Seals with their events, in sequence after `afterSeq`, one page. */
  async sealedPage(afterSeq: string, limit: number): Promise<SealedEvent[]> {
    const rows = await this.sql.rows<ChainRow & { seq: string; seal_prev_hash: string; seal_hash: string }>(
      `SELECT s.seq::text AS seq, s.prev_hash AS seal_prev_hash, s.hash AS seal_hash,
              e.id, e.at, e.actor_id, e.action, e.subject_type, e.subject_id, e.details, e.prev_hash, e.hash
         FROM audit_seals s JOIN audit_log e ON e.id = s.event_id
        WHERE s.seq > $1::bigint ORDER BY s.seq LIMIT $2`,
      [afterSeq, limit],
    );
    return rows.map((r) => Object.assign(storedEvent(r), { seq: r.seq, sealPrevHash: r.seal_prev_hash, sealHash: r.seal_hash }));
  }

  /**
   * Events not sealed yet, in id order after `afterId`. Exhaustive: every event without a seal (a
   * scan of the whole log, for full verification). Otherwise: the sealer's work list and anything
   * newer than the newest sealed event (incremental verification, cheap however long the log).
   */
  async unsealedPage(afterId: string, limit: number, exhaustive = true): Promise<StoredEvent[]> {
    if (exhaustive) {
      const rows = await this.sql.rows<ChainRow>(
        `SELECT e.id, e.at, e.actor_id, e.action, e.subject_type, e.subject_id, e.details, e.prev_hash, e.hash
           FROM audit_log e WHERE e.id > $1::bigint AND NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.event_id = e.id)
          ORDER BY e.id LIMIT $2`,
        [afterId, limit],
      );
      return rows.map(storedEvent);
    }
    // The newest sealed event is read first and passed as a value: as a sub-select the planner
    // could not see it, guessed a third of the log, and scanned and hashed all of it (0.4 s at
    // 1,000,000 events). No event above it has a seal (it is the highest sealed id), so both lists
    // are plain index ranges of at most `limit` ids, whatever the statistics say.
    const newestSealed = (await this.sql.one<{ id: string }>('SELECT COALESCE(max(event_id), 0)::text AS id FROM audit_seals'))?.id ?? '0';
    const rows = await this.sql.rows<ChainRow>(
      `WITH todo AS MATERIALIZED (
         (SELECT event_id AS id FROM unsealed_audit_events WHERE event_id > $1::bigint ORDER BY event_id LIMIT $3)
         UNION
         (SELECT id FROM audit_log WHERE id > GREATEST($1::bigint, $2::bigint) ORDER BY id LIMIT $3)
       )
       SELECT e.id, e.at, e.actor_id, e.action, e.subject_type, e.subject_id, e.details, e.prev_hash, e.hash
         FROM todo t CROSS JOIN LATERAL (SELECT * FROM audit_log l WHERE l.id = t.id) e
        ORDER BY e.id LIMIT $3`,
      [afterId, newestSealed, limit],
    );
    return rows.map(storedEvent);
  }

  /** The seal at `seq`, if any (incremental verification starts from an anchor's). */
  sealAt(seq: string): Promise<{ seq: string; hash: string } | null> {
    return this.sql.one('SELECT seq::text AS seq, hash FROM audit_seals WHERE seq = $1::bigint', [seq]);
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

}
