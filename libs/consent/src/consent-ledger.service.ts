import { Injectable, Logger } from '@nestjs/common';
import { Transactions } from '@lib/database';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';
import { JobQueue } from '@lib/jobs';
import { Metrics } from '@lib/observability';
import { ResearchExports } from './research-exports.port';
import { ConsentDecisions } from './consent-decisions.repository';
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
    private readonly decisions: ConsentDecisions,
    private readonly transactions: Transactions,
    private readonly evidence: ConsentEvidence,
    private readonly audit: AuditTrail,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    private readonly research: ResearchExports,
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
        const recorded = await this.decisions.insert({
          personId,
          purpose: input.purpose,
          studyId: input.studyId ?? null,
          decision: input.decision,
          decidedBy: input.decidedBy ?? null,
          recordedBy: actorId,
          personIsMinor: subject.minor,
          evidenceKey,
          decidedAt: nextDecisionTime(this.clock.now(), await this.decisions.latestDecisionAt(personId)),
        });
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
      if (evidenceKey) await this.discardEvidence(evidenceKey);
      throw error;
    }
    if (decision.decision === 'withdraw' && decision.purpose === 'research') {
      // POLICIES §4: exports holding them are revoked (and rebuilt without them where the study asks).
      // The decision is recorded either way; a failure here is caught by the research consent check.
      await this.research.revokeContaining(personId, 'consent_withdrawn', actorId, decision.studyId).catch((error: Error) => {
        this.logger.warn(`person ${personId}: exports not revoked yet (${error.message}); the periodic research consent check will`);
      });
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
    const decisions = await this.decisionsOf([personId]);
    return { personId, current: stateView(decisions), decisions: [...decisions].reverse().map(toDecisionView) };
  }

  async current(personId: string, purpose: ConsentPurpose, studyId?: string | null): Promise<CurrentConsent | null> {
    return currentConsent(await this.decisionsOf([personId]), purpose, studyId);
  }

  /** Each person's current research decision for a study (the study's own and those for all research: the latest wins). */
  async researchConsent(personIds: readonly string[], studyId: string): Promise<Map<string, CurrentConsent | null>> {
    const decisions = await this.decisionsOf(personIds, 'research');
    return new Map(personIds.map((id) => [id, currentConsent(decisions.filter((d) => d.personId === id), 'research', studyId)]));
  }

  /** Of these people, those whose latest video_recording decision is a withdrawal, with that decision. */
  async optedOutOfVideo(personIds: readonly string[]): Promise<Map<string, CurrentConsent>> {
    const out = new Map<string, CurrentConsent>();
    const decisions = await this.decisionsOf(personIds, 'video_recording');
    for (const personId of personIds) {
      const optOut = optsOutOfVideo(decisions.filter((d) => d.personId === personId));
      if (optOut) out.set(personId, optOut);
    }
    return out;
  }

  /** Of these people, those without a current `images` grant. */
  async withoutImagesConsent(personIds: readonly string[]): Promise<string[]> {
    const decisions = await this.decisionsOf(personIds, 'images');
    return personIds.filter((id) => currentConsent(decisions.filter((d) => d.personId === id), 'images')?.decision !== 'grant');
  }

  /** Evidence objects of decisions about this person (erasure deletes them). */
  async evidenceKeysOf(personId: string): Promise<string[]> {
    return (await this.decisionsOf([personId])).map((d) => d.evidenceKey).filter((k): k is string => k !== null);
  }

  private decisionsOf(personIds: readonly string[], purpose?: ConsentPurpose): Promise<ConsentDecision[]> {
    return this.decisions.decisionsOf(personIds, purpose);
  }

  /**
   * The decision rolled back, so its evidence object has no row. A failed deletion is never
   * swallowed: logged (the key says nothing about the person), counted in
   * `consent_evidence_cleanup_failures_total`, and left to the object reconciler, which deletes an
   * evidence object no ledger row names once its grace period has passed.
   */
  private async discardEvidence(key: string): Promise<void> {
    try {
      await this.evidence.remove([key]);
    } catch (error) {
      this.metrics.evidenceCleanupFailures.inc();
      this.logger.error(`evidence object ${key} of a rolled-back consent decision not deleted (${(error as Error).message}); the object reconciler removes it`);
    }
  }

  private async checkDecider(personId: string, input: ConsentInput, lock = false): Promise<ConsentSubject> {
    const subject = await this.subject(personId, lock);
    const problem = guardianProblem(input, subject);
    if (problem) throw new ConsentRefused(problem);
    return subject;
  }

  private async subject(personId: string, lock = false): Promise<ConsentSubject> {
    const person = await this.decisions.person(personId, lock);
    if (!person) throw new PersonNotFound();
    return { personId, minor: person.minor, guardianIds: await this.decisions.guardiansOf(personId) };
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
