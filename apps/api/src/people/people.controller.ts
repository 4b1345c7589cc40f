import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Principal } from '@lib/auth';
import { ConsentLedger, PersonErasure } from '@lib/consent';
import { ApiAuthenticated, ApiErrors } from '../http/api-docs';
import { Caller, Roles } from '../http/access.decorators';
import { ConsentDecisionResponse, ConsentLedgerResponse } from './consent.response';
import { ErasureResponse } from './erasure.response';
import { RecordConsentDto } from './record-consent.dto';

@ApiTags('people')
@ApiAuthenticated()
@Controller('v1/people')
export class PeopleController {
  constructor(
    private readonly ledger: ConsentLedger,
    private readonly erasure: PersonErasure,
  ) {}

  /** Records a consent decision or an opt-out (append-only). 201 with the decision. */
  @Post(':personId/consents')
  @Roles('platform', 'admin')
  @ApiOperation({ summary: 'Record a consent decision or an opt-out for a person' })
  @ApiCreatedResponse({ type: ConsentDecisionResponse })
  @ApiErrors([400, 404, 413, 422], { 404: 'no registered person with this id', 422: 'the consent rules refuse it (e.g. a grant for a minor not by a guardian)' })
  record(@Param('personId') personId: string, @Body() body: RecordConsentDto, @Caller() caller: Principal): Promise<ConsentDecisionResponse> {
    return this.ledger.record(personId, body, caller.personId);
  }

  /** The person's ledger and the current state derived from it (latest decision wins). */
  @Get(':personId/consents')
  @Roles('platform', 'admin')
  @ApiOperation({ summary: "A person's consent ledger and the state derived from it" })
  @ApiOkResponse({ type: ConsentLedgerResponse })
  @ApiErrors([404], { 404: 'no registered person with this id' })
  ledgerOf(@Param('personId') personId: string): Promise<ConsentLedgerResponse> {
    return this.ledger.ledger(personId);
  }

  /** Erasure on request: 200 when done, 202 while some deletion is still queued. Held items are counted, not deleted. */
  @Post(':personId/erasure')
  @Roles('platform', 'admin')
  @ApiOperation({ summary: "Erase a person: their own media deleted, their name and email removed from what is kept" })
  @ApiOkResponse({ type: ErasureResponse, description: 'done' })
  @ApiAcceptedResponse({ type: ErasureResponse, description: 'some deletions are still queued; they finish without another request' })
  @ApiErrors([404], { 404: 'no registered person with this id' })
  async erase(@Param('personId') personId: string, @Caller() caller: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<ErasureResponse> {
    const result = await this.erasure.erase(personId, caller.personId);
    void reply.status(result.status === 'completed' ? 200 : 202);
    return result;
  }
}
