import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import type { Principal } from '@lib/auth';
import { REVIEW_OUTCOMES, ReviewOutcome, ReviewService } from '@lib/playback';
import { ApiAuthenticated, ApiErrors } from '../http/api-docs';
import { Caller, Roles } from '../http/access.decorators';
import { ReviewQueueResponse, ReviewResponse } from './review.response';

class RecordReviewDto {
  @ApiProperty({ enum: REVIEW_OUTCOMES, description: 'ok; coach: escalate to tutor coaching; safety: escalate and place a hold' })
  @IsIn(REVIEW_OUTCOMES)
  outcome: ReviewOutcome;
  /** Free text kept with the review only (never in the audit trail); an erasure redacts names in it. */
  @ApiPropertyOptional({ maxLength: 2000, description: 'kept with the review only, never in the audit trail' })
  @IsOptional() @IsString() @Length(0, 2000) note?: string;
}

@ApiTags('reviews')
@ApiAuthenticated()
@Controller('v1')
export class ReviewsController {
  constructor(private readonly reviews: ReviewService) {}

  /** A `safety` outcome places a hold on the recording in the same transaction. */
  @Post('recordings/:id/reviews')
  @Roles('reviewer', 'admin', 'safety', 'volunteer_reviewer')
  @ApiOperation({ summary: 'Record a review outcome (ok, coach, or safety: escalate and place a hold)' })
  @ApiCreatedResponse({ type: ReviewResponse })
  @ApiErrors([400, 404, 413], { 403: 'your role may not review, or (volunteer reviewer) the recording is not assigned to you' })
  record(@Param('id') id: string, @Body() body: RecordReviewDto, @Caller() caller: Principal): Promise<ReviewResponse> {
    return this.reviews.record(id, body, caller);
  }

  @Get('reviews/queue')
  @Roles('reviewer', 'admin', 'volunteer_reviewer')
  @ApiOperation({ summary: 'Recordings waiting for review: flagged first, then newest; assignments per team' })
  @ApiQuery({ name: 'team', required: false, description: 'only recordings assigned to this team' })
  @ApiOkResponse({ type: ReviewQueueResponse })
  async queue(@Caller() caller: Principal, @Query('team') team?: string): Promise<ReviewQueueResponse> {
    const view = await this.reviews.queue(caller, team || undefined);
    return { items: view.items.map((i) => ({ ...i, startedAt: i.startedAt.toISOString() })), teams: view.teams };
  }
}
