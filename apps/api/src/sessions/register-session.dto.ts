import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { PERSON_ID } from '../http/person-id';

export class SessionPersonDto {
  @ApiProperty() @IsString() @Matches(PERSON_ID, { message: 'personId must be 1-128 letters, digits or ._:@-' }) personId: string;
  @ApiProperty({ description: 'Zoom display name, used to match transcripts and audio files' })
  @IsString()
  @Length(1, 200)
  displayName: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;
}

export class SessionLearnerDto extends SessionPersonDto {
  @ApiProperty({ description: 'Under 18: child-privacy protections apply' }) @IsBoolean() minor: boolean;
}

export class SessionParentDto extends SessionPersonDto {
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMaxSize(20) @Matches(PERSON_ID, { each: true }) children: string[];
}

export class RegisterSessionDto {
  @ApiProperty({ example: '81234567890' }) @IsString() @Matches(/^\d{9,12}$/, { message: 'zoomMeetingId must be a Zoom meeting number' }) zoomMeetingId: string;
  @ApiProperty({ example: '2026-11-02T15:00:00Z' }) @IsISO8601({ strict: true }) startsAt: string;
  @ApiPropertyOptional({ example: 'sat-bootcamp' }) @IsOptional() @IsString() @Length(1, 100) program?: string;
  @ApiProperty({ enum: ['tutoring', 'classes'] }) @IsIn(['tutoring', 'classes']) policyProfile: 'tutoring' | 'classes';
  @ApiProperty({ type: SessionPersonDto }) @ValidateNested() @Type(() => SessionPersonDto) tutor: SessionPersonDto;
  @ApiProperty({ type: [SessionLearnerDto] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => SessionLearnerDto)
  learners: SessionLearnerDto[];
  @ApiPropertyOptional({ type: [SessionParentDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => SessionParentDto)
  parents?: SessionParentDto[];
}
