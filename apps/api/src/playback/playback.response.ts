import { ApiProperty } from '@nestjs/swagger';

/** CONTRACT `POST /v1/recordings/{id}/playback` → `{"url","expiresAt"}` (and more). */
export class PlaybackGrantResponse {
  @ApiProperty({ example: '/v1/playback/eyJ….abc/index.m3u8', description: 'the HLS playlist, relative to this API; the token in it is the only credential its requests need' })
  url: string;
  @ApiProperty({ format: 'date-time', description: 'at most 10 minutes ahead; ask again before then to keep watching' }) expiresAt: string;
  @ApiProperty({ description: 'the stream has no video (the video was withheld or deleted)' }) audioOnly: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'a poster frame, under the same token; null for audio only' }) poster: string | null;
}

export class ReviewAssignmentResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) recordingId: string;
  @ApiProperty() reviewerId: string;
  @ApiProperty({ example: 'peer_review' }) team: string;
  @ApiProperty() assignedBy: string;
  @ApiProperty({ format: 'date-time' }) assignedAt: string;
}

export class ReviewAssignmentListResponse {
  @ApiProperty({ type: [ReviewAssignmentResponse] }) assignments: ReviewAssignmentResponse[];
}
