import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** CONTRACT `GET /v1/audit`: ids only, never names or free text. */
export class AuditEntryResponse {
  @ApiProperty({ description: 'position in the hash chain (a decimal string)' }) id: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty() actorId: string;
  @ApiProperty({ example: 'recording.viewed' }) action: string;
  @ApiProperty({ example: 'recording' }) subjectType: string;
  @ApiProperty() subjectId: string;
}

export class AuditListResponse {
  @ApiProperty({ type: [AuditEntryResponse], description: 'newest first' }) items: AuditEntryResponse[];
}

/** CONTRACT `GET /v1/audit/verify`. */
export class AuditVerifyResponse {
  @ApiProperty({ description: 'every row links to the one before it and carries its own hash' }) ok: boolean;
  @ApiProperty({ type: 'integer', description: 'rows checked' }) checked: number;
  @ApiProperty({ type: String, nullable: true, description: 'the first row that does not hold' }) firstBrokenId: string | null;
  @ApiPropertyOptional({ description: 'why it does not hold (an event, a seal, an anchor not matched, a tail cut off); absent when ok' }) reason?: string;
}
