import { BadRequestException, Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Principal } from '@lib/auth';
import { RecordingCatalogue } from '@lib/ingest';
import { Caller, Roles } from '../http/access.decorators';

class LinkRecordingDto {
  @IsString() @Length(1, 128) sessionId: string;
}

@ApiTags('recordings')
@ApiBearerAuth()
@Controller('v1/recordings')
export class RecordingsController {
  constructor(private readonly catalogue: RecordingCatalogue) {}

  @Get()
  @Roles('reviewer', 'admin')
  @ApiQuery({ name: 'zoomMeetingUuid', required: false })
  @ApiQuery({ name: 'unmatched', required: false, enum: ['true'] })
  async find(@Caller() caller: Principal, @Query('zoomMeetingUuid') zoomMeetingUuid?: string, @Query('unmatched') unmatched?: string) {
    // Audited like a single read: one entry per recording listed.
    if (unmatched === 'true') return { items: await this.catalogue.unmatched(caller.personId) };
    if (zoomMeetingUuid) return { items: await this.catalogue.findByMeetingUuid(zoomMeetingUuid, caller.personId) };
    throw new BadRequestException('give zoomMeetingUuid or unmatched=true');
  }

  /** A recording, its artifacts, their status and expiry. The read is audited. */
  @Get(':id')
  @Roles('reviewer', 'admin')
  get(@Param('id') id: string, @Caller() caller: Principal) {
    return this.catalogue.get(id, caller.personId);
  }

  /** Ties an unmatched recording to its registered session. */
  @Post(':id/link')
  @Roles('admin')
  link(@Param('id') id: string, @Body() body: LinkRecordingDto, @Caller() caller: Principal) {
    return this.catalogue.link(id, body.sessionId, caller.personId);
  }
}
