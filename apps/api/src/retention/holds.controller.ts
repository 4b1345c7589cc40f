import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { Principal } from '@lib/auth';
import { HOLD_SCOPES, HoldRegistry, HoldScope } from '@lib/retention';
import { Caller, Roles } from '../http/access.decorators';

class PlaceHoldDto {
  @IsIn(HOLD_SCOPES) scope: HoldScope;
  /** A recording id (uuid), a session id or a person id. */
  @IsString() @Length(1, 128) @Matches(/^\S+$/, { message: 'targetId must not contain spaces' }) targetId: string;
  /** Why (kept with the hold, never copied into the audit trail). */
  @IsString() @Length(1, 200) reason: string;
  /** Free text for the safety or legal team; never copied into the audit trail. */
  @IsOptional() @IsString() @Length(0, 2000) note?: string;
}

@ApiTags('holds')
@ApiBearerAuth()
@Controller('v1/holds')
export class HoldsController {
  constructor(private readonly holds: HoldRegistry) {}

  /** Pauses deletion of everything the hold covers, including recordings that arrive later. */
  @Post()
  @Roles('admin', 'safety')
  place(@Body() body: PlaceHoldDto, @Caller() caller: Principal) {
    return this.holds.place(body, caller.personId);
  }

  @Get(':id')
  @Roles('admin', 'safety')
  get(@Param('id') id: string) {
    return this.holds.get(id);
  }

  /** Releases the hold; what expired meanwhile goes at the next sweep. A second release answers 409. */
  @Delete(':id')
  @Roles('admin', 'safety')
  @HttpCode(200)
  release(@Param('id') id: string, @Caller() caller: Principal) {
    return this.holds.release(id, caller.personId);
  }
}
