import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';
import { heldArtifactSql } from './hold-coverage';

export type HoldScope = 'recording' | 'session' | 'person';

/** A row of `holds`. */
export interface HoldRow {
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

export interface NewHold {
  scope: HoldScope;
  targetId: string;
  reason: string;
  note: string | null;
  placedBy: string;
  placedAt: Date;
}

/** An active hold as a recording's readers see it (ids, no free text). */
export interface ActiveHold {
  id: string;
  scope: HoldScope;
  targetId: string;
  placedAt: Date;
}

/**
 * Any 64-bit constant: the hold lock. A deletion batch takes it shared once its rows are locked
 * and before it reads hold coverage, and keeps it until it commits; placing a hold takes it
 * exclusive before inserting. So a hold is either committed before a batch reads coverage (and the
 * batch sees it), or placed after the batch committed (and its 201 comes after that deletion).
 */
const HOLD_LOCK = 7_302_115_301;

const TARGET_EXISTS: Record<HoldScope, string> = {
  recording: `SELECT 1 AS found FROM recordings WHERE id::text = $1`,
  session: `SELECT 1 AS found FROM sessions WHERE id = $1`,
  person: `SELECT 1 AS found FROM people WHERE id = $1`,
};

const COLUMNS = 'id, scope, target_id, reason, note, placed_by, placed_at, released_by, released_at';

/** Holds, the hold lock, and coverage questions (all built on `heldArtifactSql`). */
@Injectable()
export class HoldRepository {
  constructor(private readonly sql: Sql) {}

  async targetExists(scope: HoldScope, targetId: string): Promise<boolean> {
    return (await this.sql.one<{ found: number }>(TARGET_EXISTS[scope], [targetId])) !== null;
  }

  /** Exclusive hold lock, until the transaction ends: waits for running deletion batches. */
  async lockForPlacement(): Promise<void> {
    await this.sql.run('SELECT pg_advisory_xact_lock($1)', [HOLD_LOCK]);
  }

  /**
   * Shared hold lock, until the transaction ends: waits for a placement in progress, then keeps
   * new ones out. Take it after the rows, before reading coverage and before the audit trail.
   */
  async lockAgainstPlacement(): Promise<void> {
    await this.sql.run('SELECT pg_advisory_xact_lock_shared($1)', [HOLD_LOCK]);
  }

  async insert(hold: NewHold): Promise<HoldRow> {
    const row = await this.sql.one<HoldRow>(
      `INSERT INTO holds (scope, target_id, reason, note, placed_by, placed_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [hold.scope, hold.targetId, hold.reason, hold.note, hold.placedBy, hold.placedAt],
    );
    return row!;
  }

  async find(holdId: string): Promise<HoldRow | null> {
    return this.sql.one<HoldRow>(`SELECT ${COLUMNS} FROM holds WHERE id = $1`, [holdId]);
  }

  /** The hold, its row locked until the transaction ends. */
  async lock(holdId: string): Promise<HoldRow | null> {
    return this.sql.one<HoldRow>(`SELECT ${COLUMNS} FROM holds WHERE id = $1 FOR UPDATE`, [holdId]);
  }

  /** Null when it was released already. */
  async markReleased(holdId: string, releasedBy: string, at: Date): Promise<HoldRow | null> {
    return this.sql.one<HoldRow>(
      `UPDATE holds SET released_by = $2, released_at = $3 WHERE id = $1 AND released_at IS NULL RETURNING ${COLUMNS}`,
      [holdId, releasedBy, at],
    );
  }

  async countActive(): Promise<number> {
    return (await this.sql.one<{ n: number }>('SELECT count(*)::int AS n FROM holds WHERE released_at IS NULL'))!.n;
  }

  /** Which of these artifacts an active hold covers, read by a statement of its own (a fresh snapshot). */
  async coveredArtifactIds(artifactIds: string[]): Promise<Set<string>> {
    if (artifactIds.length === 0) return new Set();
    const rows = await this.sql.rows<{ id: string }>(
      `SELECT a.id FROM artifacts a WHERE a.id = ANY($1) AND ${heldArtifactSql('a')}`,
      [artifactIds],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** Stored artifacts an active hold covers. */
  async countHeldStoredArtifacts(): Promise<number> {
    // The uncorrelated EXISTS is evaluated once: with no active hold, no artifact row is looked at.
    const row = await this.sql.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM artifacts a
       WHERE EXISTS (SELECT 1 FROM holds WHERE released_at IS NULL) AND a.status = 'stored' AND ${heldArtifactSql('a')}`,
    );
    return row!.n;
  }

  /**
   * The active holds covering each recording, oldest first: a hold covers a recording when it
   * covers one of its artifacts or would cover an artifact of it that arrives later (the recording
   * itself is probed as an artifact without a person). The same definition as the deletion's.
   */
  async activeHoldsByRecording(recordingIds: string[]): Promise<Map<string, ActiveHold[]>> {
    const byRecording = new Map<string, ActiveHold[]>(recordingIds.map((id) => [id, []]));
    if (recordingIds.length === 0) return byRecording;
    const rows = await this.sql.rows<{ recording_id: string; id: string; scope: HoldScope; target_id: string; placed_at: Date }>(
      `SELECT DISTINCT x.recording_id, hx.id, hx.scope, hx.target_id, hx.placed_at
       FROM (
         SELECT r.id AS recording_id, NULL::text AS person_id, NULL::text[] AS pictured_person_ids, NULL::text AS session_id
         FROM recordings r WHERE r.id = ANY($1::uuid[])
         UNION ALL
         SELECT a.recording_id, a.person_id, a.pictured_person_ids, a.session_id FROM artifacts a WHERE a.recording_id = ANY($1::uuid[])
       ) x
       JOIN holds hx ON hx.released_at IS NULL
       WHERE ${heldArtifactSql('x', '(SELECT one.* FROM holds one WHERE one.id = hx.id)')}
       ORDER BY hx.placed_at, hx.id`,
      [recordingIds],
    );
    for (const r of rows) {
      byRecording.get(r.recording_id)?.push({ id: r.id, scope: r.scope, targetId: r.target_id, placedAt: r.placed_at });
    }
    return byRecording;
  }
}
