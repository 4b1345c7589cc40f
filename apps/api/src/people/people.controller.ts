import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Principal } from '@lib/auth';
import { ConsentLedger, PersonErasure } from '@lib/consent';
import { Caller, Roles } from '../http/access.decorators';
import { RecordConsentDto } from './record-consent.dto';

@ApiTags('people')
@ApiBearerAuth()
@Controller('v1/people')
export class PeopleController {
  constructor(
    private readonly ledger: ConsentLedger,
    private readonly erasure: PersonErasure,
  ) {}

  /** Records a consent decision or an opt-out (append-only). 201 with the decision. */
  @Post(':personId/consents')
  @Roles('platform', 'admin')
  record(@Param('personId') personId: string, @Body() body: RecordConsentDto, @Caller() caller: Principal) {
    return this.ledger.record(personId, body, caller.personId);
  }

  /** The person's ledger and the current state derived from it (latest decision wins). */
  @Get(':personId/consents')
  @Roles('platform', 'admin')
  ledgerOf(@Param('personId') personId: string) {
    return this.ledger.ledger(personId);
  }

  /** Erasure on request: 200 when done, 202 while some deletion is still queued. Held items are counted, not deleted. */
  @Post(':personId/erasure')
  @Roles('platform', 'admin')
  async erase(@Param('personId') personId: string, @Caller() caller: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.erasure.erase(personId, caller.personId);
    void reply.status(result.status === 'completed' ? 200 : 202);
    return result;
  }
}
