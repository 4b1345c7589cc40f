import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import type { Principal } from '@lib/auth';
import { ReviewAssignment, ReviewAssignmentService } from '@lib/playback';
import { ApiAuthenticated, ApiErrors } from '../http/api-docs';
import { Caller, Roles } from '../http/access.decorators';
import { PERSON_ID } from '../http/person-id';
import { ReviewAssignmentListResponse, ReviewAssignmentResponse } from './playback.response';

class AssignReviewDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() recordingId: string;
  @ApiProperty({ description: 'the reviewer (person id)' }) @IsString() @Matches(PERSON_ID, { message: 'reviewerId must be a person id' }) reviewerId: string;
  @ApiProperty({ example: 'peer_review', description: 'the review team (peer_review, mentor, safety, …)' })
  @IsString()
  @Matches(/^[a-z0-9_-]{1,40}$/, { message: 'team must be 1-40 lower-case letters, digits, _ or -' })
  team: string;
}

class AssignmentQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(PERSON_ID, { message: 'reviewerId must be a person id' }) reviewerId?: string;
}

const view = (a: ReviewAssignment): ReviewAssignmentResponse => ({ ...a, assignedAt: a.assignedAt.toISOString() });

@ApiTags('reviews')
@ApiAuthenticated()
@Controller('v1/reviews/assignments')
export class ReviewAssignmentsController {
  constructor(private readonly assignments: ReviewAssignmentService) {}

  /** A volunteer reviewer may watch only what is assigned to them (POLICIES §3). Audited. */
  @Post()
  @Roles('admin', 'reviewer')
  @ApiOperation({ summary: 'Assign a recording to a reviewer of a team (lets a volunteer reviewer watch it)' })
  @ApiCreatedResponse({ type: ReviewAssignmentResponse })
  @ApiErrors([400, 404], { 404: 'recording not found' })
  async assign(@Body() body: AssignReviewDto, @Caller() caller: Principal): Promise<ReviewAssignmentResponse> {
    return view(await this.assignments.assign(body, caller.personId));
  }

  @Get()
  @Roles('admin', 'reviewer')
  @ApiOperation({ summary: 'Review assignments, newest first (optionally of one reviewer)' })
  @ApiOkResponse({ type: ReviewAssignmentListResponse })
  @ApiErrors([400])
  async list(@Query() query: AssignmentQuery): Promise<ReviewAssignmentListResponse> {
    return { assignments: (await this.assignments.list(query.reviewerId)).map(view) };
  }
}
