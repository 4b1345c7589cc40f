import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';
import { ConsentDecision, ConsentPurpose } from './consent-rules';

/** A `consent_decisions` row as stored (append-only: inserted, never changed). */
export interface DecisionRow {
  id: string;
  person_id: string;
  purpose: ConsentPurpose;
  study_id: string | null;
  decision: 'grant' | 'withdraw';
  decided_by: string | null;
  recorded_by: string;
  person_is_minor: boolean | null;
  evidence_key: string | null;
  decided_at: Date;
}

export interface NewDecision {
  personId: string;
  purpose: ConsentPurpose;
  studyId: string | null;
  decision: 'grant' | 'withdraw';
  decidedBy: string | null;
  recordedBy: string;
  personIsMinor: boolean | null;
  evidenceKey: string | null;
  decidedAt: Date;
}

/** What the ledger needs to know about the person a decision is about. */
export interface ConsentPersonRow {
  minor: boolean | null;
}

const toDecision = (r: DecisionRow): ConsentDecision => ({
  id: r.id,
  personId: r.person_id,
  purpose: r.purpose,
  studyId: r.study_id,
  decision: r.decision,
  decidedBy: r.decided_by,
  recordedBy: r.recorded_by,
  personIsMinor: r.person_is_minor,
  evidenceKey: r.evidence_key,
  decidedAt: r.decided_at,
});

/** The consent ledger's rows, and the people and guardians its rules look at. */
@Injectable()
export class ConsentDecisions {
  constructor(private readonly sql: Sql) {}

  /** The person, or null; `lock` takes their row lock, which orders their decisions. */
  person(personId: string, lock = false): Promise<ConsentPersonRow | null> {
    return this.sql.one<ConsentPersonRow>(`SELECT minor FROM people WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [personId]);
  }

  /** Parents who name this learner among their children in some registered session. */
  async guardiansOf(personId: string): Promise<string[]> {
    const rows = await this.sql.rows<{ person_id: string }>(
      `SELECT DISTINCT person_id FROM session_participants WHERE role = 'parent' AND $1 = ANY(children)`,
      [personId],
    );
    return rows.map((r) => r.person_id);
  }

  async latestDecisionAt(personId: string): Promise<Date | null> {
    return (await this.sql.one<{ at: Date | null }>('SELECT max(decided_at) AS at FROM consent_decisions WHERE person_id = $1', [personId]))?.at ?? null;
  }

  async insert(d: NewDecision): Promise<ConsentDecision> {
    const row = await this.sql.one<DecisionRow>(
      `INSERT INTO consent_decisions (person_id, purpose, study_id, decision, decided_by, recorded_by, person_is_minor, evidence_key, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [d.personId, d.purpose, d.studyId, d.decision, d.decidedBy, d.recordedBy, d.personIsMinor, d.evidenceKey, d.decidedAt],
    );
    return toDecision(row!);
  }

  /** Every decision of these people (for one purpose, or all), oldest first. */
  async decisionsOf(personIds: readonly string[], purpose?: ConsentPurpose): Promise<ConsentDecision[]> {
    if (personIds.length === 0) return [];
    const rows = await this.sql.rows<DecisionRow>(
      `SELECT * FROM consent_decisions WHERE person_id = ANY($1) AND ($2::text IS NULL OR purpose = $2) ORDER BY decided_at, id`,
      [personIds, purpose ?? null],
    );
    return rows.map(toDecision);
  }
}
