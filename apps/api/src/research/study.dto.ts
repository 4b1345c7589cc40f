import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsDate, IsIn, IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { CONSENT_MODELS, STUDY_KINDS } from '@lib/research';
import type { ConsentModel, StudyKind } from '@lib/research';

export class CreateStudyDto {
  @ApiProperty({ maxLength: 200 }) @IsString() @Length(1, 200) name: string;
  @ApiProperty({ type: [String], description: 'the programmes whose sessions it covers' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsString({ each: true }) @Length(1, 100, { each: true })
  programs: string[];
  @ApiProperty({ format: 'date-time', description: 'sessions starting at or after this' }) @Type(() => Date) @IsDate() sessionsFrom: Date;
  @ApiProperty({ format: 'date-time', description: 'sessions starting before this' }) @Type(() => Date) @IsDate() sessionsTo: Date;
  @ApiProperty({ enum: CONSENT_MODELS }) @IsIn(CONSENT_MODELS) consentModel: ConsentModel;
  @ApiProperty({ enum: STUDY_KINDS, isArray: true }) @IsArray() @ArrayMinSize(1) @IsIn(STUDY_KINDS, { each: true }) kinds: StudyKind[];
  @ApiProperty({ format: 'date-time', description: 'the data-use agreement ends: exports expire then' }) @Type(() => Date) @IsDate() agreementExpiresAt: Date;
  @ApiProperty({ type: [String], description: 'member researchers (person ids)' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 200, { each: true })
  researchers: string[];
  @ApiPropertyOptional({ enum: ['remove', 'drop_session'], description: 'a non-consenting participant: their lines removed (default) or the session left out' })
  @IsOptional() @IsIn(['remove', 'drop_session'])
  nonConsenting?: 'remove' | 'drop_session';
  @ApiPropertyOptional({ description: 'rebuild a revoked export without the person (default false)' }) @IsOptional() @IsBoolean() rebuildOnRevocation?: boolean;
  @ApiPropertyOptional({ minimum: 1, maximum: 100, description: 'downloads allowed per export (default 5)' }) @IsOptional() @IsInt() @Min(1) @Max(100) downloadLimit?: number;
}

export class ExportCriteriaDto {
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @Type(() => Date) @IsDate() sessionsFrom?: Date;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @Type(() => Date) @IsDate() sessionsTo?: Date;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @IsString({ each: true }) @ArrayMaxSize(50) programs?: string[];
  @ApiPropertyOptional({ enum: STUDY_KINDS, isArray: true }) @IsOptional() @IsArray() @IsIn(STUDY_KINDS, { each: true }) kinds?: StudyKind[];
}

export class RequestExportDto {
  @ApiPropertyOptional({ type: ExportCriteriaDto, description: 'narrows the study (never widens it)' })
  @IsOptional() @ValidateNested() @Type(() => ExportCriteriaDto)
  criteria?: ExportCriteriaDto;
}
