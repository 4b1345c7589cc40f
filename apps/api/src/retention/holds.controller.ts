import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { Principal } from '@lib/auth';
import { HOLD_SCOPES, HoldRegistry, HoldScope } from '@lib/retention';
import { ApiAuthenticated, ApiErrors } from '../http/api-docs';
import { Caller, Roles } from '../http/access.decorators';
import { HoldResponse } from './hold.response';

class PlaceHoldDto {
  @ApiProperty({ enum: HOLD_SCOPES, description: 'a session or person hold also covers recordings that arrive later' })
  @IsIn(HOLD_SCOPES)
  scope: HoldScope;
  /** A recording id (uuid), a session id or a person id. */
  @ApiProperty({ description: 'a recording id (uuid), a session id or a person id' })
  @IsString() @Length(1, 128) @Matches(/^\S+$/, { message: 'targetId must not contain spaces' }) targetId: string;
  /** Why (kept with the hold, never copied into the audit trail). */
  @ApiProperty({ maxLength: 200, description: 'kept with the hold, never copied into the audit trail' })
  @IsString() @Length(1, 200) reason: string;
  /** Free text for the safety or legal team; never copied into the audit trail. */
  @ApiPropertyOptional({ maxLength: 2000, description: 'free text for the safety or legal team' })
  @IsOptional() @IsString() @Length(0, 2000) note?: string;
}

@ApiTags('holds')
@ApiAuthenticated()
@Controller('v1/holds')
export class HoldsController {
  constructor(private readonly holds: HoldRegistry) {}

  /** Pauses deletion of everything the hold covers, including recordings that arrive later. */
  @Post()
  @Roles('admin', 'safety')
  @ApiOperation({ summary: 'Place a hold: nothing it covers is deleted until it is released' })
  @ApiCreatedResponse({ type: HoldResponse })
  @ApiErrors([400, 404, 413], { 404: 'the recording, session or person named does not exist' })
  place(@Body() body: PlaceHoldDto, @Caller() caller: Principal): Promise<HoldResponse> {
    return this.holds.place(body, caller.personId);
  }

  @Get(':id')
  @Roles('admin', 'safety')
  @ApiOperation({ summary: 'A hold, active or released' })
  @ApiOkResponse({ type: HoldResponse })
  @ApiErrors([404])
  get(@Param('id') id: string): Promise<HoldResponse> {
    return this.holds.get(id);
  }

  /** Releases the hold; what expired meanwhile goes at the next sweep. A second release answers 409. */
  @Delete(':id')
  @Roles('admin', 'safety')
  @HttpCode(200)
  @ApiOperation({ summary: 'Release a hold; what expired meanwhile goes at the next sweep' })
  @ApiOkResponse({ type: HoldResponse, description: 'the released hold' })
  @ApiErrors([404, 409], { 409: 'the hold was already released' })
  release(@Param('id') id: string, @Caller() caller: Principal): Promise<HoldResponse> {
    return this.holds.release(id, caller.personId);
  }
}
