import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';
import type { ContactKind, SafetyException, SafetySignal } from '@lib/text';

export interface FlagRow {
  id: string;
  recording_id: string;
  artifact_id: string;
  source: 'chat' | 'transcript';
  line: number;
  offset_seconds: number;
  kind: ContactKind;
  direct: boolean;
  sender_person_id: string | null;
  sender_role: string;
  recipient_person_id: string | null;
  recipient_role: string;
  breach: boolean;
  covered_by: 'parent' | 'exception' | null;
  exception_id: string | null;
  hold_id: string | null;
  detected_at: Date;
}

export interface ExceptionRow {
  id: string;
  tutor_id: string;
  family_person_ids: string[];
  kinds: ContactKind[] | null;
  reason: string;
  granted_by: string;
  granted_at: Date;
  revoked_by: string | null;
  revoked_at: Date | null;
}

export interface FoundSignal extends SafetySignal {
  artifactId: string;
}

/** Safety flags and Trust & Safety exceptions (POLICIES §5). */
@Injectable()
export class SafetyRepository {
  constructor(private readonly sql: Sql) {}

  /** The recording's flags are replaced as a whole: a re-analysis finds what the files say now. */
  async replaceFlags(recordingId: string, signals: readonly FoundSignal[], at: Date): Promise<void> {
    await this.sql.run('DELETE FROM safety_flags WHERE recording_id = $1', [recordingId]);
    if (signals.length === 0) return;
    const col = <T>(f: (s: FoundSignal) => T) => signals.map(f);
    await this.sql.run(
      `INSERT INTO safety_flags (recording_id, artifact_id, source, line, offset_seconds, kind, direct, sender_person_id, sender_role,
                                 recipient_person_id, recipient_role, breach, covered_by, exception_id, hold_id, detected_at)
       SELECT $1, a, so, l, o, k, d, sp, sr, rp, rr, b, cb, e, NULL, $15
         FROM unnest($2::uuid[], $3::text[], $4::int[], $5::float8[], $6::text[], $7::bool[], $8::text[], $9::text[], $10::text[], $11::text[],
                     $12::bool[], $13::text[], $14::uuid[]) AS x(a, so, l, o, k, d, sp, sr, rp, rr, b, cb, e)`,
      [
        recordingId,
        col((s) => s.artifactId),
        col((s) => s.source),
        col((s) => s.line),
        col((s) => s.offsetSeconds),
        col((s) => s.kind),
        col((s) => s.direct),
        col((s) => s.senderPersonId),
        col((s) => s.senderRole),
        col((s) => s.recipientPersonId),
        col((s) => s.recipientRole),
        col((s) => s.breach),
        col((s) => s.coveredBy),
        col((s) => s.exceptionId),
        at,
      ],
    );
  }

  /** Breaches of these kinds name the hold they placed (rows this transaction already wrote). */
  async attachHold(recordingId: string, holdId: string, kinds: readonly string[]): Promise<void> {
    await this.sql.run('UPDATE safety_flags SET hold_id = $2 WHERE recording_id = $1 AND breach AND kind = ANY($3)', [recordingId, holdId, kinds]);
  }

  flagsOf(recordingId: string): Promise<FlagRow[]> {
    return this.sql.rows<FlagRow>(
      `SELECT * FROM safety_flags WHERE recording_id = $1 ORDER BY breach DESC, source, offset_seconds, line, id`,
      [recordingId],
    );
  }

  /** Of these recordings, those with a breach flag (the review queue puts them first). */
  async withBreaches(recordingIds: readonly string[]): Promise<Set<string>> {
    if (recordingIds.length === 0) return new Set();
    const rows = await this.sql.rows<{ recording_id: string }>(
      'SELECT DISTINCT recording_id FROM safety_flags WHERE breach AND recording_id = ANY($1::uuid[])',
      [recordingIds],
    );
    return new Set(rows.map((r) => r.recording_id));
  }

  /** Whether analysis ever placed its hold on this recording (released or not): it places one once. */
  async autoHoldPlaced(recordingId: string, reason: string): Promise<string | null> {
    const row = await this.sql.one<{ id: string; released_at: Date | null }>(
      `SELECT id, released_at FROM holds WHERE scope = 'recording' AND target_id = $1 AND reason = $2 ORDER BY placed_at DESC LIMIT 1`,
      [recordingId, reason],
    );
    return row ? (row.released_at ? '' : row.id) : null;
  }

  activeExceptionsFor(tutorId: string): Promise<SafetyException[]> {
    return this.sql.rows<SafetyException>(
      `SELECT id, tutor_id AS "tutorId", family_person_ids AS "familyPersonIds", kinds
         FROM safety_exceptions WHERE tutor_id = $1 AND revoked_at IS NULL ORDER BY granted_at, id`,
      [tutorId],
    );
  }

  insertException(e: { tutorId: string; familyPersonIds: string[]; kinds: string[] | null; reason: string; grantedBy: string; at: Date }): Promise<ExceptionRow | null> {
    return this.sql.one<ExceptionRow>(
      `INSERT INTO safety_exceptions (tutor_id, family_person_ids, kinds, reason, granted_by, granted_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [e.tutorId, e.familyPersonIds, e.kinds, e.reason, e.grantedBy, e.at],
    );
  }

  revokeException(id: string, by: string, at: Date): Promise<ExceptionRow | null> {
    return this.sql.one<ExceptionRow>(
      `UPDATE safety_exceptions SET revoked_by = $2, revoked_at = $3 WHERE id = $1 AND revoked_at IS NULL RETURNING *`,
      [id, by, at],
    );
  }

  exception(id: string): Promise<ExceptionRow | null> {
    return this.sql.one<ExceptionRow>('SELECT * FROM safety_exceptions WHERE id = $1', [id]);
  }

  exceptionsOf(tutorId: string): Promise<ExceptionRow[]> {
    return this.sql.rows<ExceptionRow>('SELECT * FROM safety_exceptions WHERE tutor_id = $1 ORDER BY granted_at DESC, id', [tutorId]);
  }

  /** Recordings of the tutor's sessions (an exception changes what their flags mean: they are analysed again). */
  async recordingsOfTutor(tutorId: string): Promise<string[]> {
    const rows = await this.sql.rows<{ id: string }>(
      `SELECT r.id FROM recordings r JOIN sessions s ON s.id = r.session_id WHERE s.tutor_id = $1`,
      [tutorId],
    );
    return rows.map((r) => r.id);
  }

  /** Erasure: flags naming the person as sender or recipient, and exceptions about them. Returns rows removed. */
  async removePerson(personId: string): Promise<number> {
    const flags = await this.sql.rows('DELETE FROM safety_flags WHERE sender_person_id = $1 OR recipient_person_id = $1 RETURNING id', [personId]);
    await this.sql.run(
      `UPDATE safety_flags SET exception_id = NULL WHERE exception_id IN
         (SELECT id FROM safety_exceptions WHERE tutor_id = $1 OR $1 = ANY(family_person_ids))`,
      [personId],
    );
    const exceptions = await this.sql.rows('DELETE FROM safety_exceptions WHERE tutor_id = $1 OR $1 = ANY(family_person_ids) RETURNING id', [personId]);
    return flags.length + exceptions.length;
  }
}
