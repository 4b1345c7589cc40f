import { Controller, Get, Header, Param, ParseIntPipe, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { SessionText, TalkTimeReports } from '@lib/analytics';
import type { Principal } from '@lib/auth';
import { ApiAuthenticated, ApiErrors } from '../http/api-docs';
import { Caller, Roles } from '../http/access.decorators';
import { RecordingTalkTimeResponse, TutorFeedbackResponse } from './talk-time.response';

const READERS = ['tutor', 'reviewer', 'admin', 'safety', 'volunteer_reviewer'] as const;

/** Tutor feedback (issue 13 item 5): a tutor reads their own sessions, reviewers all; every read audited. */
@ApiTags('feedback')
@ApiAuthenticated()
@Controller('v1')
export class FeedbackController {
  constructor(
    private readonly talkTime: TalkTimeReports,
    private readonly text: SessionText,
  ) {}

  @Get('recordings/:id/talk-time')
  @Roles(...READERS)
  @Header('Cache-Control', 'no-store, private')
  @ApiOperation({ summary: 'Talk-time metrics of a recording (tutor of that session, reviewers; audited read)' })
  @ApiOkResponse({ type: RecordingTalkTimeResponse })
  @ApiErrors([404], { 403: 'not the tutor of this session, nor a reviewer', 404: 'no such recording, or it has no talk-time report (yet)' })
  talkTimeOf(@Param('id') id: string, @Caller() caller: Principal): Promise<RecordingTalkTimeResponse> {
    return this.talkTime.ofRecording(id, caller) as Promise<RecordingTalkTimeResponse>;
  }

  @Get('tutors/:tutorId/feedback')
  @Roles('tutor', 'reviewer', 'admin', 'safety')
  @Header('Cache-Control', 'no-store, private')
  @ApiOperation({ summary: 'A tutor’s feedback: their last N sessions and trends against their programs’ median (that tutor, reviewers)' })
  @ApiQuery({ name: 'sessions', required: false, description: 'how many of the latest sessions (default FEEDBACK_TREND_SESSIONS, at most 200)' })
  @ApiOkResponse({ type: TutorFeedbackResponse })
  @ApiErrors([400], { 403: 'another tutor’s feedback' })
  feedback(
    @Param('tutorId') tutorId: string,
    @Caller() caller: Principal,
    @Query('sessions', new ParseIntPipe({ optional: true })) sessions?: number,
  ): Promise<TutorFeedbackResponse> {
    return this.talkTime.feedback(tutorId, caller, sessions) as Promise<TutorFeedbackResponse>;
  }

  /** The stored transcript as WebVTT, streamed; every read is audited (`transcript.read`). */
  @Get('recordings/:id/transcript')
  @Roles(...READERS)
  @Header('Cache-Control', 'no-store, private')
  @ApiOperation({ summary: 'The recording’s transcript as WebVTT (tutor of that session, reviewers; audited read)' })
  @ApiOkResponse({ description: 'the transcript (WebVTT)', content: { 'text/vtt': { schema: { type: 'string' } } } })
  @ApiErrors([404], { 403: 'not the tutor of this session, nor a reviewer', 404: 'no such recording, or it has no stored transcript' })
  async transcript(@Param('id') id: string, @Caller() caller: Principal): Promise<StreamableFile> {
    const { body, contentType } = await this.text.read(id, 'transcript', caller);
    return new StreamableFile(body, { type: contentType });
  }

  /** The stored chat log as text, streamed; every read is audited (`chat.read`). */
  @Get('recordings/:id/chat')
  @Roles(...READERS)
  @Header('Cache-Control', 'no-store, private')
  @ApiOperation({ summary: 'The recording’s chat log as text (tutor of that session, reviewers; audited read)' })
  @ApiOkResponse({ description: 'the chat log', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiErrors([404], { 403: 'not the tutor of this session, nor a reviewer', 404: 'no such recording, or it has no stored chat log' })
  async chat(@Param('id') id: string, @Caller() caller: Principal): Promise<StreamableFile> {
    const { body, contentType } = await this.text.read(id, 'chat', caller);
    return new StreamableFile(body, { type: contentType });
  }
}
