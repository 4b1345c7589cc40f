import { Injectable } from '@nestjs/common';
import { isUuid, Transactions } from '@lib/database';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';
import { ActiveHold, HoldRepository, HoldRow, HoldScope } from './hold.repository';

export type { HoldScope } from './hold.repository';
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


/**
 * Holds (safety investigations, legal): while one is active, nothing it covers is deleted, whatever
 * its expiry or deletion request (`heldArtifactSql` is the one definition of "covers"). Released,
 * a hold stays as a row; what expired meanwhile goes at the next sweep. The audit trail gets ids
 * only: the reason and note are free text and stay in the holds table.
 */
@Injectable()
export class HoldRegistry {
  constructor(
    private readonly holds: HoldRepository,
    private readonly transactions: Transactions,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  /**
   * Places a hold. Its answer means: nothing it covers is deleted afterwards. The exclusive hold
   * lock waits for deletion batches that already read coverage (they finish first) and keeps new
   * ones from reading coverage until this hold is committed (they then see it). Lock order: the
   * hold lock, then the audit trail.
   */
  async place(input: PlaceHold, actorId: string): Promise<Hold> {
    return this.transactions.run(async () => {
      if (input.scope === 'recording' && !isUuid(input.targetId)) throw new HoldTargetNotFound(input.scope);
      if (!(await this.holds.targetExists(input.scope, input.targetId))) throw new HoldTargetNotFound(input.scope);
      await this.holds.lockForPlacement();
      const hold = toHold(
        await this.holds.insert({
          scope: input.scope,
          targetId: input.targetId,
          reason: input.reason,
          note: input.note ?? null,
          placedBy: actorId,
          placedAt: this.clock.now(),
        }),
      );
      await this.audit.append(
        { actorId, action: 'hold.placed', subjectType: 'hold', subjectId: hold.id, details: { scope: hold.scope, targetId: hold.targetId } },
      );
      return hold;
    });
  }

  /** Releases an active hold. Releasing one already released is refused (HoldAlreadyReleased). */
  async release(holdId: string, actorId: string): Promise<Hold> {
    if (!isUuid(holdId)) throw new HoldNotFound();
    return this.transactions.run(async () => {
      const found = await this.holds.lock(holdId);
      if (!found) throw new HoldNotFound();
      if (found.released_at !== null) throw new HoldAlreadyReleased(toHold(found));
      const hold = toHold((await this.holds.markReleased(holdId, actorId, this.clock.now()))!);
      await this.audit.append(
        { actorId, action: 'hold.released', subjectType: 'hold', subjectId: hold.id, details: { scope: hold.scope, targetId: hold.targetId } },
      );
      return hold;
    });
  }

  async get(holdId: string): Promise<Hold> {
    if (!isUuid(holdId)) throw new HoldNotFound();
    const row = await this.holds.find(holdId);
    if (!row) throw new HoldNotFound();
    return toHold(row);
  }

  async countActive(): Promise<number> {
    return this.holds.countActive();
  }

  /** The active holds covering each recording (any of its artifacts, or the recording itself), by `heldArtifactSql`. */
  coveringRecordings(recordingIds: string[]): Promise<Map<string, ActiveHold[]>> {
    return this.holds.activeHoldsByRecording(recordingIds);
  }
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
