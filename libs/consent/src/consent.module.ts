import { Module } from '@nestjs/common';
import { AuditModule } from '@lib/audit';
import { RetentionModule } from '@lib/retention';
import { SessionsModule } from '@lib/sessions';
import { ConsentEvidence } from './consent-evidence';
import { ConsentLedger } from './consent-ledger.service';
import { OptOutEnforcer } from './opt-out-enforcer.service';
import { PersonErasure } from './person-erasure.service';

@Module({
  imports: [AuditModule, RetentionModule, SessionsModule],
  providers: [ConsentEvidence, ConsentLedger, OptOutEnforcer, PersonErasure],
  exports: [ConsentLedger, OptOutEnforcer, PersonErasure],
})
export class ConsentModule {}
