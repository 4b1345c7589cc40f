import { ApiProperty } from '@nestjs/swagger';
import { UPLOAD_KINDS } from '@lib/uploads';

/** An image or verification video as stored (an artifact of the session). */
export class UploadResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: UPLOAD_KINDS }) kind: string;
  @ApiProperty() sessionId: string;
  @ApiProperty({ enum: ['pending', 'stored', 'failed', 'discarded', 'deleted'] }) status: string;
  @ApiProperty({ type: String, nullable: true }) contentType: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) sizeBytes: number | null;
  @ApiProperty({ type: String, nullable: true }) sha256: string | null;
  @ApiProperty({ type: [String], description: 'the learners pictured (images) or verified (verification videos)' }) personIds: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'verification videos: null until reviewed' })
  expiresAt: string | null;
  @ApiProperty({ type: String, enum: ['approved', 'rejected'], nullable: true }) reviewDecision: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) reviewedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) storedAt: string | null;
}
