import { Injectable, Logger } from '@nestjs/common';
import { Sql, Transactions } from '@lib/database';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';
import { JobQueue } from '@lib/jobs';
import { PersonNotFound } from './consent-errors';
import { ConsentEvidence } from './consent-evidence';
import {
  checkConsentInput,
  ConsentDecision,
  ConsentInput,
  ConsentPurpose,
  ConsentRefused,
  consentState,
  ConsentSubject,
  CurrentConsent,
  currentConsent,
  guardianProblem,
  nextDecisionTime,
  optsOutOfVideo,
} from './consent-rules';

export interface ConsentDecisionView {
  id: string;
  personId: string;
  purpose: ConsentPurpose;
  studyId: string | null;
  decision: string;
  decidedBy: string | null;
  recordedBy: string;
  personIsMinor: boolean | null;
  hasEvidence: boolean;
  decidedAt: string;
}

interface DecisionRow {
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

export const toDecisionView = (d: ConsentDecision): ConsentDecisionView => ({
  id: d.id,
  personId: d.personId,
  purpose: d.purpose,
  studyId: d.studyId,
  decision: d.decision,
  decidedBy: d.decidedBy,
  recordedBy: d.recordedBy,
  personIsMinor: d.personIsMinor,
  hasEvidence: d.evidenceKey !== null,
  decidedAt: d.decidedAt.toISOString(),
});

/**
 * The consent ledger: append-only decisions per person and purpose (the table's trigger refuses
 * UPDATE and DELETE). The current state is always derived from the ledger by `consent-rules.ts`.
 * Rows and audit entries hold ids only; evidence text lives in an object erasure can delete.
 */
@Injectable()
export class ConsentLedger {
  private readonly logger = new Logger(ConsentLedger.name);

  constructor(
    private readonly sql: Sql,
    private readonly transactions: Transactions,
    private readonly evidence: ConsentEvidence,
    private readonly audit: AuditTrail,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  async record(personId: string, input: ConsentInput, actorId: string): Promise<ConsentDecisionView> {
    checkConsentInput(input);
    // Refuse what the rules refuse before anything is written to storage.
    await this.checkDecider(personId, input);
    const evidenceKey =
      input.evidence?.trim() || input.reason?.trim()
        ? await this.evidence.save({
            personId,
            purpose: input.purpose,
            decision: input.decision,
            studyId: input.studyId ?? null,
            decidedBy: input.decidedBy ?? null,
            recordedBy: actorId,
            reason: input.reason?.trim() || null,
            evidence: input.evidence?.trim() || null,
            recordedAt: this.clock.now().toISOString(),
          })
        : null;
    let decision: ConsentDecision;
    try {
      decision = await this.transactions.run(async () => {
        // The person's row lock orders their decisions: the latest one is unambiguous.
        const subject = await this.checkDecider(personId, input, true);
        const [latest]: Array<{ at: Date | null }> = await this.sql.rows('SELECT max(decided_at) AS at FROM consent_decisions WHERE person_id = $1', [personId]);
        const rows: DecisionRow[] = await this.sql.rows(
          `INSERT INTO consent_decisions (person_id, purpose, study_id, decision, decided_by, recorded_by, person_is_minor, evidence_key, decided_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
          [
            personId,
            input.purpose,
            input.studyId ?? null,
            input.decision,
            input.decidedBy ?? null,
            actorId,
            subject.minor,
            evidenceKey,
            nextDecisionTime(this.clock.now(), latest?.at ?? null),
          ],
        );
        const recorded = toDecision(rows[0]);
        await this.audit.append(
          {
            actorId,
            action: 'consent.recorded',
            subjectType: 'person',
            subjectId: personId,
            details: { decisionId: recorded.id, purpose: recorded.purpose, decision: recorded.decision, studyId: recorded.studyId, decidedBy: recorded.decidedBy },
          },
        );
        return recorded;
      });
    } catch (error) {
      if (evidenceKey) await this.evidence.remove([evidenceKey]).catch(() => undefined);
      throw error;
    }
    if (decision.decision === 'withdraw' && decision.purpose !== 'research') {
      // A video opt-out (or a withdrawn images consent) reaches what is already stored within a minute.
      await this.jobs.enqueue('enforce-opt-out', { personId }).catch((error: Error) => {
        this.logger.warn(`person ${personId}: opt-out job not queued (${error.message}); the periodic check will apply it`);
      });
    }
    return toDecisionView(decision);
  }

  async ledger(personId: string): Promise<{ personId: string; current: ReturnType<typeof stateView>; decisions: ConsentDecisionView[] }> {
    await this.subject(personId);
    const decisions = await this.decisions([personId]);
    return { personId, current: stateView(decisions), decisions: [...decisions].reverse().map(toDecisionView) };
  }

  async current(personId: string, purpose: ConsentPurpose, studyId?: string | null): Promise<CurrentConsent | null> {
    return currentConsent(await this.decisions([personId]), purpose, studyId);
  }

  /** Of these people, those whose latest video_recording decision is a withdrawal, with that decision. */
  async optedOutOfVideo(personIds: readonly string[]): Promise<Map<string, CurrentConsent>> {
    const out = new Map<string, CurrentConsent>();
    const decisions = await this.decisions(personIds, 'video_recording');
    for (const personId of personIds) {
      const optOut = optsOutOfVideo(decisions.filter((d) => d.personId === personId));
      if (optOut) out.set(personId, optOut);
    }
    return out;
  }

  /** Of these people, those without a current `images` grant. */
  async withoutImagesConsent(personIds: readonly string[]): Promise<string[]> {
    const decisions = await this.decisions(personIds, 'images');
    return personIds.filter((id) => currentConsent(decisions.filter((d) => d.personId === id), 'images')?.decision !== 'grant');
  }

  /** Evidence objects of decisions about this person (erasure deletes them). */
  async evidenceKeysOf(personId: string): Promise<string[]> {
    return (await this.decisions([personId])).map((d) => d.evidenceKey).filter((k): k is string => k !== null);
  }

  private async decisions(personIds: readonly string[], purpose?: ConsentPurpose): Promise<ConsentDecision[]> {
    if (personIds.length === 0) return [];
    const rows: DecisionRow[] = await this.sql.rows(
      `SELECT * FROM consent_decisions WHERE person_id = ANY($1) AND ($2::text IS NULL OR purpose = $2) ORDER BY decided_at, id`,
      [personIds, purpose ?? null],
    );
    return rows.map(toDecision);
  }

  private async checkDecider(personId: string, input: ConsentInput, lock = false): Promise<ConsentSubject> {
    const subject = await this.subject(personId, lock);
    const problem = guardianProblem(input, subject);
    if (problem) throw new ConsentRefused(problem);
    return subject;
  }

  private async subject(personId: string, lock = false): Promise<ConsentSubject> {
    const people: Array<{ minor: boolean | null }> = await this.sql.rows(`SELECT minor FROM people WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [personId]);
    if (people.length === 0) throw new PersonNotFound();
    const guardians: Array<{ person_id: string }> = await this.sql.rows(
      `SELECT DISTINCT person_id FROM session_participants WHERE role = 'parent' AND $1 = ANY(children)`,
      [personId],
    );
    return { personId, minor: people[0].minor, guardianIds: guardians.map((g) => g.person_id) };
  }
}

/** The derived state as JSON (dates as ISO strings). */
function stateView(decisions: ConsentDecision[]) {
  const state = consentState(decisions);
  const view = (c: CurrentConsent | null) => (c ? { ...c, decidedAt: c.decidedAt.toISOString() } : null);
  return {
    video_recording: view(state.video_recording),
    images: view(state.images),
    research: {
      global: view(state.research.global),
      studies: Object.fromEntries(Object.entries(state.research.studies).map(([id, c]) => [id, view(c)])),
    },
  };
}
