import { BadRequestException, Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Principal } from '@lib/auth';
import { RecordingCatalogue } from '@lib/ingest';
import { ApiAuthenticated, ApiErrors } from '../http/api-docs';
import { Caller, Roles } from '../http/access.decorators';
import { RecordingListResponse, RecordingResponse } from './recording.response';

class LinkRecordingDto {
  @ApiProperty({ description: 'a registered session' }) @IsString() @Length(1, 128) sessionId: string;
}

@ApiTags('recordings')
@ApiAuthenticated()
@Controller('v1/recordings')
export class RecordingsController {
  constructor(private readonly catalogue: RecordingCatalogue) {}

  @Get()
  @Roles('reviewer', 'admin')
  @ApiOperation({ summary: 'Find recordings by Zoom meeting uuid, or list the unmatched ones' })
  @ApiQuery({ name: 'zoomMeetingUuid', required: false })
  @ApiQuery({ name: 'unmatched', required: false, enum: ['true'], description: 'recordings of no registered session' })
  @ApiOkResponse({ type: RecordingListResponse })
  @ApiErrors([400], { 400: 'neither zoomMeetingUuid nor unmatched=true given' })
  async find(@Caller() caller: Principal, @Query('zoomMeetingUuid') zoomMeetingUuid?: string, @Query('unmatched') unmatched?: string): Promise<RecordingListResponse> {
    // Audited like a single read: one entry per recording listed.
    if (unmatched === 'true') return { items: await this.catalogue.unmatched(caller.personId) };
    if (zoomMeetingUuid) return { items: await this.catalogue.findByMeetingUuid(zoomMeetingUuid, caller.personId) };
    throw new BadRequestException('give zoomMeetingUuid or unmatched=true');
  }

  /** A recording, its artifacts, their status and expiry. The read is audited. */
  @Get(':id')
  @Roles('reviewer', 'admin')
  @ApiOperation({ summary: 'A recording with its artifacts, their status, expiry and holds (audited read)' })
  @ApiOkResponse({ type: RecordingResponse })
  @ApiErrors([404])
  get(@Param('id') id: string, @Caller() caller: Principal): Promise<RecordingResponse> {
    return this.catalogue.get(id, caller.personId);
  }

  /** Ties an unmatched recording to its registered session. */
  @Post(':id/link')
  @Roles('admin')
  @ApiOperation({ summary: 'Link an unmatched recording to its registered session' })
  @ApiCreatedResponse({ type: RecordingResponse, description: 'the recording, now under the session’s policy' })
  @ApiErrors([400, 404, 413], { 404: 'no such recording or session' })
  link(@Param('id') id: string, @Body() body: LinkRecordingDto, @Caller() caller: Principal): Promise<RecordingResponse> {
    return this.catalogue.link(id, body.sessionId, caller.personId);
  }
}
