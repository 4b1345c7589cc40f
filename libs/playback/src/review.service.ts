import { Inject, Injectable } from '@nestjs/common';
import { SafetyRepository } from '@lib/analytics';
import { AuditTrail } from '@lib/audit';
import type { Principal } from '@lib/auth';
import { Clock } from '@lib/clock';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { isUuid, Transactions } from '@lib/database';
import { HoldRegistry } from '@lib/retention';
import { mayReview } from './review-access';
import { ReviewNotAllowed, ReviewRecordingNotFound } from './review-errors';
import { buildQueue, QueueView, ReviewOutcome } from './review-queue';
import { ReviewRepository } from './review.repository';

export interface RecordReview {
  outcome: ReviewOutcome;
  note?: string | null;
}

export interface Review {
  id: string;
  recordingId: string;
  outcome: ReviewOutcome;
  reviewerId: string;
  at: string;
  holdId: string | null;
}

/** Why a safety review's hold exists (the hold's reason; the reviewer's note stays on the review). */
export const SAFETY_HOLD_REASON = 'safety review';


/**
 * Review outcomes and the review queue (the transcript beside the player is libs/analytics' SessionText). A `safety` outcome
 * places a hold on the recording in the same transaction as the review row: both or neither.
 * The audit trail gets ids and the outcome only; the note is free text and stays on the row.
 */
@Injectable()
export class ReviewService {
  constructor(
    private readonly reviews: ReviewRepository,
    private readonly holds: HoldRegistry,
    private readonly safety: SafetyRepository,
    private readonly transactions: Transactions,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async record(recordingId: string, input: RecordReview, caller: Principal): Promise<Review> {
    if (!isUuid(recordingId)) throw new ReviewRecordingNotFound();
    return this.transactions.run(async () => {
      // Lock order: the recording row, then the hold lock (HoldRegistry.place), then the audit trail.
      if (!(await this.reviews.lockRecording(recordingId))) throw new ReviewRecordingNotFound();
      await this.ensureMayReview(recordingId, caller);
      const hold =
        input.outcome === 'safety' ? await this.holds.place({ scope: 'recording', targetId: recordingId, reason: SAFETY_HOLD_REASON }, caller.personId) : null;
      const row = await this.reviews.insert({
        recordingId,
        outcome: input.outcome,
        note: input.note ?? null,
        reviewerId: caller.personId,
        holdId: hold?.id ?? null,
        at: this.clock.now(),
      });
      await this.audit.append({
        actorId: caller.personId,
        action: 'review.recorded',
        subjectType: 'recording',
        subjectId: recordingId,
        details: { reviewId: row.id, outcome: row.outcome, holdId: row.hold_id },
      });
      return { id: row.id, recordingId: row.recording_id, outcome: row.outcome, reviewerId: row.reviewer_id, at: row.at.toISOString(), holdId: row.hold_id };
    });
  }

  /** The queue for this caller: a volunteer reviewer sees only their assignments. */
  async queue(caller: Principal, team?: string): Promise<QueueView> {
    const staff = caller.roles.some((r) => r === 'reviewer' || r === 'admin');
    const rows = await this.reviews.queueCandidates();
    // Breaches of POLICIES §5 found by analysis put their recording first (issue 13 item 6).
    const flagged = await this.safety.withBreaches(rows.map((r) => r.id));
    const candidates = rows.map((r) => ({
      recordingId: r.id,
      sessionId: r.session_id,
      startedAt: r.started_at,
      flagged: flagged.has(r.id),
      assignments: r.assignments,
    }));
    return buildQueue(candidates, this.config.review.sampleShare, { personId: caller.personId, assignedOnly: !staff }, team);
  }

  private async ensureMayReview(recordingId: string, caller: Principal): Promise<void> {
    const assigned = caller.roles.includes('volunteer_reviewer') ? await this.reviews.isAssigned(recordingId, caller.personId) : false;
    if (!mayReview(caller, assigned)) throw new ReviewNotAllowed();
  }
}
