import { Body, Controller, Delete, Get, Header, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { SafetySignals } from '@lib/analytics';
import type { Principal } from '@lib/auth';
import { CONTACT_KINDS } from '@lib/config';
import type { ContactKind } from '@lib/text';
import { ApiAuthenticated, ApiErrors } from '../http/api-docs';
import { Caller, Roles } from '../http/access.decorators';
import { SafetyExceptionResponse, SafetyExceptionsResponse, SafetyFlagsResponse } from './safety.response';

class GrantExceptionDto {
  @ApiProperty() @IsString() @Length(1, 200) tutorId: string;
  @ApiProperty({ type: [String], description: 'the family: the parents and learners it covers' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsString({ each: true }) @Length(1, 200, { each: true })
  familyPersonIds: string[];
  @ApiPropertyOptional({ enum: CONTACT_KINDS, isArray: true, description: 'omitted: every kind of detail' })
  @IsOptional() @IsArray() @IsIn(CONTACT_KINDS, { each: true })
  kinds?: ContactKind[];
  @ApiProperty({ maxLength: 2000, description: 'why (kept on the exception only, never in the audit trail)' })
  @IsString() @Length(1, 2000)
  reason: string;
}

/** Safety signals (POLICIES §5): a recording's flags, and the Trust & Safety exceptions. */
@ApiTags('safety')
@ApiAuthenticated()
@Controller('v1')
export class SafetyController {
  constructor(private readonly safety: SafetySignals) {}

  @Get('recordings/:id/safety-flags')
  @Roles('safety', 'admin', 'reviewer')
  @Header('Cache-Control', 'no-store, private')
  @ApiOperation({ summary: 'Contact details found in the recording’s chat logs and transcripts (kind, where, who to whom; audited read)' })
  @ApiOkResponse({ type: SafetyFlagsResponse })
  @ApiErrors([404])
  async flags(@Param('id') id: string, @Caller() caller: Principal): Promise<SafetyFlagsResponse> {
    return { items: (await this.safety.flagsOf(id, caller)) as SafetyFlagsResponse['items'] };
  }

  @Post('safety/exceptions')
  @Roles('safety', 'admin')
  @ApiOperation({ summary: 'Record a one-time Trust & Safety exception for a tutor and a family; their recordings are analysed again' })
  @ApiCreatedResponse({ type: SafetyExceptionResponse })
  @ApiErrors([400])
  grant(@Body() body: GrantExceptionDto, @Caller() caller: Principal): Promise<SafetyExceptionResponse> {
    return this.safety.grant(body, caller.personId) as Promise<SafetyExceptionResponse>;
  }

  @Get('safety/exceptions')
  @Roles('safety', 'admin')
  @ApiOperation({ summary: 'A tutor’s exceptions, newest first (revoked ones included)' })
  @ApiQuery({ name: 'tutorId', required: true })
  @ApiOkResponse({ type: SafetyExceptionsResponse })
  @ApiErrors([400])
  async list(@Query('tutorId') tutorId: string): Promise<SafetyExceptionsResponse> {
    return { items: (await this.safety.exceptionsOf(tutorId ?? '')) as SafetyExceptionsResponse['items'] };
  }

  @Delete('safety/exceptions/:id')
  @Roles('safety', 'admin')
  @ApiOperation({ summary: 'Revoke an exception; the tutor’s recordings are analysed again' })
  @ApiOkResponse({ type: SafetyExceptionResponse })
  @ApiErrors([404])
  revoke(@Param('id') id: string, @Caller() caller: Principal): Promise<SafetyExceptionResponse> {
    return this.safety.revoke(id, caller.personId) as Promise<SafetyExceptionResponse>;
  }
}
