import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { CONSENT_DECISIONS, CONSENT_PURPOSES, ConsentDecisionValue, ConsentPurpose } from '@lib/consent';

const ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/** CONTRACT `POST /v1/people/{personId}/consents`. A video opt-out is video_recording + withdraw. */
export class RecordConsentDto {
  @ApiProperty({ enum: CONSENT_PURPOSES }) @IsIn(CONSENT_PURPOSES) purpose: ConsentPurpose;
  @ApiProperty({ enum: CONSENT_DECISIONS }) @IsIn(CONSENT_DECISIONS) decision: ConsentDecisionValue;
  @ApiPropertyOptional({ description: 'research only: the study this decision is for (absent: all research)' })
  @IsOptional()
  @IsString()
  @Matches(ID, { message: 'studyId must be 1-128 letters, digits or ._:@-' })
  studyId?: string;
  @ApiPropertyOptional({ description: 'the parent or guardian (person id) who decided for a minor; required for a grant of research or images for a minor' })
  @IsOptional()
  @IsString()
  @Matches(ID, { message: 'decidedBy must be a person id' })
  decidedBy?: string;
  @ApiPropertyOptional({ description: 'required for images: why the picture is taken (stored as evidence, not in the ledger row)' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;
  @ApiPropertyOptional({ description: 'free text evidence (stored as an evidence object that erasure can delete)' })
  @IsOptional()
  @IsString()
  @Length(1, 20000)
  evidence?: string;
}
