import { Injectable } from '@nestjs/common';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';
import { Transactions } from '@lib/database';
import { PlaybackNotFound } from './playback-errors';
import { PlaybackRecords } from './playback.repository';
import { ReviewAssignment, ReviewAssignments } from './review-assignment.repository';

/** Assigning a recording to a volunteer reviewer: what lets them watch it (POLICIES §3). */
@Injectable()
export class ReviewAssignmentService {
  constructor(
    private readonly records: PlaybackRecords,
    private readonly assignments: ReviewAssignments,
    private readonly transactions: Transactions,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async assign(input: { recordingId: string; reviewerId: string; team: string }, actorId: string): Promise<ReviewAssignment> {
    return this.transactions.run(async () => {
      const recording = await this.records.recording(input.recordingId);
      if (!recording) throw new PlaybackNotFound('recording not found');
      const assignment = await this.assignments.assign({ recordingId: recording.id, reviewerId: input.reviewerId, team: input.team, assignedBy: actorId, assignedAt: this.clock.now() });
      await this.audit.append({
        actorId,
        action: 'review.assigned',
        subjectType: 'recording',
        subjectId: recording.id,
        details: { reviewerId: input.reviewerId, team: input.team, assignmentId: assignment.id },
      });
      return assignment;
    });
  }

  list(reviewerId?: string): Promise<ReviewAssignment[]> {
    return this.assignments.list(reviewerId);
  }
}
