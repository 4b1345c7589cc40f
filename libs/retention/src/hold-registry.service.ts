import { Injectable } from '@nestjs/common';
import { Sql, Transactions } from '@lib/database';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';

export type HoldScope = 'recording' | 'session' | 'person';
export const HOLD_SCOPES: readonly HoldScope[] = ['recording', 'session', 'person'];

export interface PlaceHold {
  scope: HoldScope;
  targetId: string;
  reason: string;
  note?: string | null;
}

export interface Hold {
  id: string;
  scope: HoldScope;
  targetId: string;
  reason: string;
  note: string | null;
  placedBy: string;
  placedAt: string;
  releasedBy: string | null;
  releasedAt: string | null;
  active: boolean;
}

export class HoldNotFound extends Error {
  constructor() {
    super('hold not found');
    this.name = 'HoldNotFound';
  }
}

export class HoldAlreadyReleased extends Error {
  constructor(readonly hold: Hold) {
    super(`hold ${hold.id} was already released at ${hold.releasedAt}`);
    this.name = 'HoldAlreadyReleased';
  }
}

export class HoldTargetNotFound extends Error {
  constructor(readonly scope: HoldScope) {
    super(`${scope} not found`);
    this.name = 'HoldTargetNotFound';
  }
}

const TARGET_EXISTS: Record<HoldScope, string> = {
  recording: `SELECT 1 FROM recordings WHERE id::text = $1`,
  session: `SELECT 1 FROM sessions WHERE id = $1`,
  person: `SELECT 1 FROM people WHERE id = $1`,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Holds (safety investigations, legal): while one is active, nothing it covers is deleted, whatever
 * its expiry or deletion request (`heldArtifactSql` is the one definition of "covers"). Released,
 * a hold stays as a row; what expired meanwhile goes at the next sweep. The audit trail gets ids
 * only: the reason and note are free text and stay in the holds table.
 */
@Injectable()
export class HoldRegistry {
  constructor(
    private readonly sql: Sql,
    private readonly transactions: Transactions,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async place(input: PlaceHold, actorId: string): Promise<Hold> {
    return this.transactions.run(async () => {
      if (input.scope === 'recording' && !UUID.test(input.targetId)) throw new HoldTargetNotFound(input.scope);
      const target: unknown[] = await this.sql.rows(TARGET_EXISTS[input.scope], [input.targetId]);
      if (target.length === 0) throw new HoldTargetNotFound(input.scope);
      const rows: HoldRow[] = await this.sql.rows(
        `INSERT INTO holds (scope, target_id, reason, note, placed_by, placed_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [input.scope, input.targetId, input.reason, input.note ?? null, actorId, this.clock.now()],
      );
      const hold = toHold(rows[0]);
      await this.audit.append(
        { actorId, action: 'hold.placed', subjectType: 'hold', subjectId: hold.id, details: { scope: hold.scope, targetId: hold.targetId } },
      );
      return hold;
    });
  }

  /** Releases an active hold. Releasing one already released is refused (HoldAlreadyReleased). */
  async release(holdId: string, actorId: string): Promise<Hold> {
    if (!UUID.test(holdId)) throw new HoldNotFound();
    return this.transactions.run(async () => {
      const found: HoldRow[] = await this.sql.rows('SELECT * FROM holds WHERE id = $1 FOR UPDATE', [holdId]);
      if (found.length === 0) throw new HoldNotFound();
      if (found[0].released_at !== null) throw new HoldAlreadyReleased(toHold(found[0]));
      const rows: HoldRow[] = await this.sql.rows(
        'UPDATE holds SET released_by = $2, released_at = $3 WHERE id = $1 AND released_at IS NULL RETURNING *',
        [holdId, actorId, this.clock.now()],
      );
      const hold = toHold(rows[0]);
      await this.audit.append(
        { actorId, action: 'hold.released', subjectType: 'hold', subjectId: hold.id, details: { scope: hold.scope, targetId: hold.targetId } },
      );
      return hold;
    });
  }

  async get(holdId: string): Promise<Hold> {
    if (!UUID.test(holdId)) throw new HoldNotFound();
    const rows: HoldRow[] = await this.sql.rows('SELECT * FROM holds WHERE id = $1', [holdId]);
    if (rows.length === 0) throw new HoldNotFound();
    return toHold(rows[0]);
  }

  async countActive(): Promise<number> {
    const rows: Array<{ n: number }> = await this.sql.rows('SELECT count(*)::int AS n FROM holds WHERE released_at IS NULL');
    return rows[0].n;
  }
}

interface HoldRow {
  id: string;
  scope: HoldScope;
  target_id: string;
  reason: string;
  note: string | null;
  placed_by: string;
  placed_at: Date;
  released_by: string | null;
  released_at: Date | null;
}

function toHold(r: HoldRow): Hold {
  return {
    id: r.id,
    scope: r.scope,
    targetId: r.target_id,
    reason: r.reason,
    note: r.note,
    placedBy: r.placed_by,
    placedAt: r.placed_at.toISOString(),
    releasedBy: r.released_by,
    releasedAt: r.released_at ? r.released_at.toISOString() : null,
    active: r.released_at === null,
  };
}
