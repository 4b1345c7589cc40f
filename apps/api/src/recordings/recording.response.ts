import { ApiProperty } from '@nestjs/swagger';

/** CONTRACT `GET /v1/recordings/{id}`: field names fixed there; the others are extra. */
export class ArtifactResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    description: 'video, audio, participant_audio, transcript, chat, timeline, stream, image, verification_video, other, …',
    example: 'video',
  })
  kind: string;
  @ApiProperty({ enum: ['pending', 'stored', 'failed', 'discarded', 'deleted'] }) status: string;
  @ApiProperty({ type: 'integer', nullable: true }) sizeBytes: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'hex SHA-256 of the stored bytes' }) sha256: string | null;
  @ApiProperty({ type: String, nullable: true }) contentType: string | null;
  @ApiProperty({ type: Number, nullable: true }) durationSeconds: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'the person a participant track or upload is of' }) personId: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the retention class its expiry comes from' }) retentionClass: string | null;
  @ApiProperty({ type: String, nullable: true }) policyProfile: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) policyVersion: number | null;
  @ApiProperty({ description: 'a hold covers it: not deleted whatever its expiry' }) held: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) storedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deletedAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'why it was deleted, discarded or failed' }) reason: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the artifact this one was derived from (audio extracted from video)' })
  derivedFrom: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'deletion receipt: the audit entry recording the deletion' }) auditEntryId: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'deletion receipt: that entry’s chained hash' }) auditHash: string | null;
}

export class HoldSummaryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['recording', 'session', 'person'] }) scope: string;
  @ApiProperty() targetId: string;
  @ApiProperty({ format: 'date-time' }) placedAt: string;
}

export class RecordingResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() zoomMeetingUuid: string;
  @ApiProperty() zoomMeetingId: string;
  @ApiProperty({ type: String, nullable: true, description: 'null: unmatched (no registered session)' }) sessionId: string | null;
  @ApiProperty({ enum: ['tutoring', 'classes'] }) policyProfile: string;
  @ApiProperty({ enum: ['archiving', 'archived', 'incomplete'] }) status: string;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ enum: ['present', 'trashed', 'deleted', 'recovered'], description: "Zoom's cloud copy" }) zoomCloudState: string;
  @ApiProperty({ type: [HoldSummaryResponse], description: 'active holds covering it (by recording, its session, or a person of it)' })
  holds: HoldSummaryResponse[];
  @ApiProperty({ type: [ArtifactResponse] }) artifacts: ArtifactResponse[];
}

export class RecordingListResponse {
  @ApiProperty({ type: [RecordingResponse], description: 'newest first, at most 100' }) items: RecordingResponse[];
}
