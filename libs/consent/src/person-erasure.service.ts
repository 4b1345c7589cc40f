import { Inject, Injectable, Logger } from '@nestjs/common';
import { Transactions } from '@lib/database';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { AnalysisErasure } from '@lib/analytics';
import { ArtifactDeletion } from '@lib/retention';
import { RedactionTarget } from '@lib/text';
import { PersonNotFound } from './consent-errors';
import { ResearchExports } from './research-exports.port';
import { ConsentEvidence } from './consent-evidence';
import { ConsentLedger } from './consent-ledger.service';
import { ErasureRecords } from './erasure.repository';
import { ErasureText } from './erasure-text.service';
import { ErasureTraces } from './erasure-traces.service';

export interface ErasureCounts {
  /** Their own artifacts (participant audio, images of them, verification videos) deleted or withheld. */
  deleted: number;
  transcriptsRedacted: number;
  chatsRedacted: number;
  timelinesRedacted: number;
  /** Other Zoom text files (participant lists, summaries). */
  otherRedacted: number;
  /** Display names removed from per-participant tracks. */
  labelsCleared: number;
  /** Holds whose reason or note named them. */
  holdTextsRedacted: number;
  /** Webhook bodies still in the inbox that named them: dropped once processed, else rewritten. */
  inboxBodiesRedacted: number;
  evidenceDeleted: number;
  /** Research exports holding them, revoked (their archives deleted; rebuilt without them where the study asks). */
  exportsRevoked: number;
  /** Talk-time rows and safety flags (and exceptions) about them: analyticsRemoved = talkTimeRemoved + safetyRemoved. */
  analyticsRemoved: number;
  talkTimeRemoved: number;
  safetyRemoved: number;
  /** Covered by an active hold: kept (not deleted, not rewritten) until the hold is released; the follow-up finishes them. */
  held: number;
}

export interface ErasureResult {
  id: string;
  personId: string;
  /** `in_progress`: some deletions are queued (a storage error); they finish without another request. */
  status: 'completed' | 'in_progress';
  counts: ErasureCounts;
  notes: string[];
}

export const ERASED_NAME = '[erased]';
const NOTES: string[] = [];

/**
 * Erasure on request (issue 3 item 7, issue 11 A.3, POLICIES §4 "deletion on request"): what is
 * the person's alone goes through the one deletion path; their name and email are replaced in the
 * text kept for others and wherever else the service wrote them; their consent evidence objects
 * are deleted; their name and email leave `people`. The request keeps what to look for until its
 * follow-up closes (`ErasureFollowUp`): text held or arriving later is redacted then. The
 * append-only ledger and audit trail hold ids only, so they stay; logs carry ids only.
 */
@Injectable()
export class PersonErasure {
  private readonly logger = new Logger(PersonErasure.name);

  constructor(
    private readonly records: ErasureRecords,
    private readonly transactions: Transactions,
    private readonly deletion: ArtifactDeletion,
    private readonly text: ErasureText,
    private readonly traces: ErasureTraces,
    private readonly ledger: ConsentLedger,
    private readonly evidence: ConsentEvidence,
    private readonly analytics: AnalysisErasure,
    private readonly research: ResearchExports,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async erase(personId: string, actorId: string): Promise<ErasureResult> {
    const person = await this.records.person(personId);
    if (!person) throw new PersonNotFound();
    // Once erased, the name is gone from `people`: a second request has no name left to look for.
    const target: RedactionTarget | null = person.erased_at ? null : { personId, displayName: person.display_name, email: person.email };
    const now = this.clock.now();
    const requestId = await this.records.createRequest({
      personId,
      requestedBy: actorId,
      requestedAt: now,
      redactionName: target?.displayName ?? null,
      redactionEmail: target?.email ?? null,
      followUpUntil: new Date(now.getTime() + this.config.consent.erasureFollowUpDays * 86_400_000),
    });
    // Labels first: a track of their session that turns out to be theirs is then deleted as theirs.
    const traces = await this.traces.clear(target, personId);
    const own = await this.deleteOwn(personId, requestId, true);
    const text = target ? await this.text.redactKeptText(target, requestId) : null;
    const analysis = await this.analytics.removePerson(personId);
    const counts: ErasureCounts = {
      deleted: own.deleted,
      transcriptsRedacted: text?.transcript ?? 0,
      chatsRedacted: text?.chat ?? 0,
      timelinesRedacted: text?.timeline ?? 0,
      otherRedacted: text?.other ?? 0,
      ...traces,
      evidenceDeleted: await this.evidence.remove(await this.ledger.evidenceKeysOf(personId)),
      exportsRevoked: await this.research.revokeContaining(personId, 'erasure', actorId),
      analyticsRemoved: analysis.talkTimeRemoved + analysis.safetyRemoved,
      ...analysis,
      held: own.held + (text?.held ?? 0),
    };

    const status = own.inProgress ? 'in_progress' : 'completed';
    await this.transactions.run(async () => {
      await this.records.finish(personId, requestId, ERASED_NAME, counts, this.clock.now(), !own.inProgress);
      await this.audit.append({
        actorId,
        action: 'person.erased',
        subjectType: 'person',
        subjectId: personId,
        details: { erasureRequestId: requestId, status, ...counts },
      });
    });
    return { id: requestId, personId, status, counts, notes: NOTES };
  }

  /**
   * Their participant audio, images picturing them, their verification videos. A held one keeps
   * its deletion request (a held file still downloading is archived first) and goes once the hold
   * is released. `now`: delete here rather than by the queued job, so the answer is true.
   */
  async deleteOwn(personId: string, requestId: string, now: boolean): Promise<{ deleted: number; held: number; inProgress: boolean }> {
    const own = await this.records.ownArtifacts(personId);
    const requested = new Set(await this.deletion.requestDeletion(own.map((a) => a.id), 'erasure', `erasure request ${requestId}`));
    for (const artifact of own.filter((a) => now && requested.has(a.id) && !a.held)) {
      await this.deletion.deleteArtifact(artifact.id).catch((error: Error) => {
        this.logger.warn(`artifact ${artifact.id}: erasure deletion left to its queued job after a storage error (${error.message})`);
      });
    }
    // Count what the rows say now: a deletion another job holds the lock of is still in progress.
    const statuses = await this.records.statusesOf(own.map((a) => a.id));
    const result = { deleted: 0, held: 0, inProgress: false };
    for (const artifact of own) {
      const status = statuses.get(artifact.id);
      if (status === 'deleted' || status === 'discarded') result.deleted += 1;
      else if (artifact.held) result.held += 1;
      else result.inProgress = true;
    }
    return result;
  }
}
