import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Principal } from '@lib/auth';
import { PLAYBACK_PURPOSES, PlaybackPurpose, PlaybackService } from '@lib/playback';
import { ApiAuthenticated, ApiErrors } from '../http/api-docs';
import { Caller, Roles } from '../http/access.decorators';
import { PlaybackGrantResponse } from './playback.response';

class PlaybackRequestDto {
  @ApiPropertyOptional({ enum: PLAYBACK_PURPOSES, description: 'why the recording is watched (audited); by default from the role; always family_viewing for a family' })
  @IsOptional()
  @IsIn(PLAYBACK_PURPOSES)
  purpose?: PlaybackPurpose;
}

@ApiTags('playback')
@ApiAuthenticated()
@Controller('v1/recordings')
export class PlaybackController {
  constructor(private readonly playback: PlaybackService) {}

  /** Who may watch is decided by mayWatch (libs/playback): staff any, volunteers when assigned, families in classes after the terms. */
  @Post(':id/playback')
  @Roles('reviewer', 'admin', 'safety', 'volunteer_reviewer', 'family')
  @ApiOperation({ summary: 'A short-lived HLS playback URL for a recording (streamed through this API, never a file)' })
  @ApiBody({ type: PlaybackRequestDto, required: false })
  @ApiCreatedResponse({ type: PlaybackGrantResponse })
  @ApiErrors([400, 404], { 404: 'no such recording, or no stream yet (the message says which, e.g. video withheld: audio only)' })
  grant(@Param('id') id: string, @Body() body: PlaybackRequestDto, @Caller() caller: Principal): Promise<PlaybackGrantResponse> {
    return this.playback.grant(id, caller, body?.purpose);
  }
}
