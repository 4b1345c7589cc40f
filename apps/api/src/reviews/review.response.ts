import { ApiProperty } from '@nestjs/swagger';
import { REVIEW_OUTCOMES } from '@lib/playback';

/** A recorded review (issue 12): a `safety` outcome carries the hold it placed. */
export class ReviewResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) recordingId: string;
  @ApiProperty({ enum: REVIEW_OUTCOMES }) outcome: string;
  @ApiProperty({ description: 'the reviewer (the token’s subject)' }) reviewerId: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the hold a safety outcome placed; null otherwise' }) holdId: string | null;
}

class AssignmentResponse {
  @ApiProperty() reviewerId: string;
  @ApiProperty() team: string;
}

export class QueueItemResponse {
  @ApiProperty({ format: 'uuid' }) recordingId: string;
  @ApiProperty({ type: String, nullable: true }) sessionId: string | null;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ description: 'analysis found a breach of the communication-safety rules (POLICIES §5) in its chat log or transcript' }) flagged: boolean;
  @ApiProperty({ enum: ['flagged', 'assigned', 'sampled'], isArray: true, description: 'why it is in the queue' }) reasons: string[];
  @ApiProperty({ type: [AssignmentResponse] }) assignments: AssignmentResponse[];
}

class TeamQueueResponse {
  @ApiProperty() team: string;
  @ApiProperty({ type: [String], description: 'the team’s assigned recordings, in queue order' }) recordingIds: string[];
}

export class ReviewQueueResponse {
  @ApiProperty({ type: [QueueItemResponse], description: 'safety flags first, then newest' }) items: QueueItemResponse[];
  @ApiProperty({ type: [TeamQueueResponse] }) teams: TeamQueueResponse[];
}
