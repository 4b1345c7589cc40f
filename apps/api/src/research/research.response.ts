import { ApiProperty } from '@nestjs/swagger';
import { EXPORT_STATUSES } from '@lib/research';

export class StudyResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [String] }) programs: string[];
  @ApiProperty({ format: 'date-time' }) sessionsFrom: string;
  @ApiProperty({ format: 'date-time' }) sessionsTo: string;
  @ApiProperty({ enum: ['opt_in', 'opt_out'] }) consentModel: string;
  @ApiProperty({ type: [String] }) kinds: string[];
  @ApiProperty({ format: 'date-time' }) agreementExpiresAt: string;
  @ApiProperty({ type: [String] }) researchers: string[];
  @ApiProperty({ enum: ['remove', 'drop_session'] }) nonConsenting: string;
  @ApiProperty() rebuildOnRevocation: boolean;
  @ApiProperty({ type: 'integer' }) downloadLimit: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class StudiesResponse {
  @ApiProperty({ type: [StudyResponse] }) items: StudyResponse[];
}

export class ExportResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) studyId: string;
  @ApiProperty({ enum: EXPORT_STATUSES }) status: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the request’s criteria' }) criteria: Record<string, unknown>;
  @ApiProperty() requestedBy: string;
  @ApiProperty({ format: 'date-time' }) requestedAt: string;
  @ApiProperty({ type: String, nullable: true }) decidedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the revoked export this one rebuilds' }) rebuiltFrom: string | null;
  @ApiProperty({ type: Number, nullable: true }) sizeBytes: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'SHA-256 of the archive' }) sha256: string | null;
  @ApiProperty({ type: String, nullable: true }) deidVersion: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'counts only: sessions, files, exclusions by reason' }) summary: Record<string, unknown> | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) builtAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'the study’s agreement expiry' }) expiresAt: string | null;
  @ApiProperty({ type: 'integer' }) downloads: number;
  @ApiProperty({ type: 'integer' }) downloadLimit: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['consent_withdrawn', 'erasure'] }) revokedReason: string | null;
  @ApiProperty({ type: String, nullable: true }) failureReason: string | null;
}

export class ExportsResponse {
  @ApiProperty({ type: [ExportResponse] }) items: ExportResponse[];
}
