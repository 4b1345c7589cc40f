import { Body, Controller, Param, Put, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Principal } from '@lib/auth';
import { SessionRegistry } from '@lib/sessions';
import { ApiAuthenticated, ApiErrors } from '../http/api-docs';
import { Caller, Roles } from '../http/access.decorators';
import { RegisterSessionDto } from './register-session.dto';
import { SessionRegisteredResponse } from './session.response';

@ApiTags('sessions')
@ApiAuthenticated()
@Controller('v1/sessions')
export class SessionsController {
  constructor(private readonly registry: SessionRegistry) {}

  /** Registers a tutoring session and its people; recordings of it that arrived earlier are linked. */
  @Put(':sessionId')
  @Roles('platform')
  @ApiOperation({ summary: 'Register or replace a tutoring session and its people' })
  @ApiCreatedResponse({ type: SessionRegisteredResponse, description: 'registered for the first time' })
  @ApiOkResponse({ type: SessionRegisteredResponse, description: 'an earlier registration replaced' })
  @ApiErrors([400, 413])
  async register(
    @Param('sessionId') sessionId: string,
    @Body() body: RegisterSessionDto,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionRegisteredResponse> {
    const result = await this.registry.register(
      sessionId,
      {
        zoomMeetingId: body.zoomMeetingId,
        startsAt: new Date(body.startsAt),
        program: body.program ?? null,
        policyProfile: body.policyProfile,
        tutor: body.tutor,
        learners: body.learners,
        parents: body.parents ?? [],
      },
      caller.personId,
    );
    void reply.status(result.created ? 201 : 200);
    return { id: sessionId, ...result };
  }
}
