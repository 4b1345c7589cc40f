import { ApiProperty } from '@nestjs/swagger';

export class ErasureCountsResponse {
  @ApiProperty({ type: 'integer', description: 'their own artifacts deleted or withheld' }) deleted: number;
  @ApiProperty({ type: 'integer' }) transcriptsRedacted: number;
  @ApiProperty({ type: 'integer' }) chatsRedacted: number;
  @ApiProperty({ type: 'integer' }) timelinesRedacted: number;
  @ApiProperty({ type: 'integer', description: 'other Zoom text files (participant lists, summaries)' }) otherRedacted: number;
  @ApiProperty({ type: 'integer', description: 'display names removed from per-participant tracks' }) labelsCleared: number;
  @ApiProperty({ type: 'integer', description: 'holds whose reason or note named them' }) holdTextsRedacted: number;
  @ApiProperty({ type: 'integer', description: 'webhook bodies still in the inbox that named them' }) inboxBodiesRedacted: number;
  @ApiProperty({ type: 'integer' }) evidenceDeleted: number;
  @ApiProperty({ type: 'integer' }) exportsRevoked: number;
  @ApiProperty({ type: 'integer', description: 'talkTimeRemoved + safetyRemoved' }) analyticsRemoved: number;
  @ApiProperty({ type: 'integer', description: 'their own talk-time figures, and the reports of sessions they tutored' }) talkTimeRemoved: number;
  @ApiProperty({ type: 'integer', description: 'safety flags naming them as sender or recipient, and exceptions about them' }) safetyRemoved: number;
  @ApiProperty({ type: 'integer', description: 'covered by an active hold: kept until it is released' }) held: number;
}

/** CONTRACT `POST /v1/people/{personId}/erasure`: 200 when done, 202 while it finishes. */
export class ErasureResponse {
  @ApiProperty({ format: 'uuid', description: 'the erasure request' }) id: string;
  @ApiProperty() personId: string;
  @ApiProperty({ enum: ['completed', 'in_progress'], description: 'in_progress: some deletions are queued and finish on their own' })
  status: string;
  @ApiProperty({ type: ErasureCountsResponse }) counts: ErasureCountsResponse;
  @ApiProperty({ type: [String] }) notes: string[];
}
