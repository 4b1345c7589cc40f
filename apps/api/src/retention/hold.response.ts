import { ApiProperty } from '@nestjs/swagger';

/** A hold as placed, read and released (CONTRACT `POST /v1/holds` → `{"id",…}`). */
export class HoldResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['recording', 'session', 'person'] }) scope: string;
  @ApiProperty({ description: 'a recording id, a session id or a person id' }) targetId: string;
  @ApiProperty() reason: string;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty() placedBy: string;
  @ApiProperty({ format: 'date-time' }) placedAt: string;
  @ApiProperty({ type: String, nullable: true }) releasedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) releasedAt: string | null;
  @ApiProperty({ description: 'not yet released' }) active: boolean;
}
