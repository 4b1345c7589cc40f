import { Body, Controller, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import type { Principal } from '@lib/auth';
import { declaredTypeProblem, parseLearnerIds, ReviewDecision, UnsupportedUpload, UPLOAD_KINDS, UploadKind, Uploads } from '@lib/uploads';
import { ApiAuthenticated, ApiErrors } from '../http/api-docs';
import { Caller, Roles } from '../http/access.decorators';
import { UploadResponse } from './upload.response';

class UploadQueryDto {
  @ApiProperty({ enum: UPLOAD_KINDS }) @IsIn(UPLOAD_KINDS) kind: UploadKind;
  @ApiProperty() @IsString() @Length(1, 128) sessionId: string;
  @ApiProperty({ description: 'comma-separated learner ids: the learners pictured, or the one verified' })
  @IsString()
  @Matches(/^[A-Za-z0-9._:@-]{1,128}(,[A-Za-z0-9._:@-]{1,128}){0,49}$/, { message: 'learnerIds must be a comma-separated list of person ids' })
  learnerIds: string;
}

class ReviewDto {
  @ApiProperty({ enum: ['approved', 'rejected'] }) @IsIn(['approved', 'rejected']) decision: ReviewDecision;
}

@ApiTags('uploads')
@ApiAuthenticated()
@Controller('v1/uploads')
export class UploadsController {
  constructor(private readonly uploads: Uploads) {}

  /** The raw file is the body (image/* or video/*), streamed to the bucket; 201 with the stored upload. */
  @Post()
  @Roles('platform')
  @ApiOperation({ summary: 'Upload an image of learners or a learner verification video (the raw file is the body)' })
  @ApiConsumes('image/png', 'image/jpeg', 'image/webp', 'video/mp4', 'video/webm', 'video/quicktime')
  @ApiBody({ schema: { type: 'string', format: 'binary' }, description: 'the file itself' })
  @ApiCreatedResponse({ type: UploadResponse })
  @ApiErrors([400, 403, 404, 413, 415], {
    403: 'your role may not upload, or a pictured learner has no current images consent',
    404: 'no such session',
    415: 'the body is not the image or video it claims to be',
  })
  upload(@Query() query: UploadQueryDto, @Req() request: FastifyRequest, @Caller() caller: Principal): Promise<UploadResponse> {
    const body = request.body;
    // Only image/* and video/* bodies arrive as a stream (http/media-body.ts); anything else was the wrong type.
    if (!(body instanceof Readable)) {
      throw new UnsupportedUpload(declaredTypeProblem(query.kind, request.headers['content-type'] ?? null) ?? 'send the file itself as the body');
    }
    const length = Number(request.headers['content-length']);
    return this.uploads.upload(
      {
        kind: query.kind,
        sessionId: query.sessionId,
        learnerIds: parseLearnerIds(query.learnerIds),
        contentType: request.headers['content-type'] ?? null,
        contentLength: Number.isFinite(length) ? length : null,
        body,
      },
      caller.personId,
    );
  }

  /** A reviewer's decision on a verification video: its deletion clock starts now. */
  @Post(':id/review')
  @HttpCode(200)
  @Roles('reviewer')
  @ApiOperation({ summary: "Record a reviewer's decision on a verification video; its deletion clock starts" })
  @ApiOkResponse({ type: UploadResponse })
  @ApiErrors([400, 404, 409, 413], { 409: 'not a verification video awaiting review' })
  review(@Param('id') id: string, @Body() body: ReviewDto, @Caller() caller: Principal): Promise<UploadResponse> {
    return this.uploads.review(id, body.decision, caller.personId);
  }
}
