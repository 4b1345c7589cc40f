import { Module } from '@nestjs/common';
import { AnalyticsModule } from '@lib/analytics';
import { AuditModule } from '@lib/audit';
import { RetentionModule } from '@lib/retention';
import { SessionsModule } from '@lib/sessions';
import { ConsentDecisions } from './consent-decisions.repository';
import { ConsentEvidence } from './consent-evidence';
import { ConsentLedger } from './consent-ledger.service';
import { ErasureFollowUp } from './erasure-follow-up.service';
import { ErasureText } from './erasure-text.service';
import { ErasureTraces } from './erasure-traces.service';
import { ErasureRecords } from './erasure.repository';
import { OptOutEnforcer } from './opt-out-enforcer.service';
import { OptOutRecords } from './opt-out.repository';
import { PersonErasure } from './person-erasure.service';

@Module({
  imports: [AuditModule, RetentionModule, SessionsModule, AnalyticsModule],
  providers: [ConsentDecisions, OptOutRecords, ErasureRecords, ConsentEvidence, ConsentLedger, OptOutEnforcer, ErasureText, ErasureTraces, PersonErasure, ErasureFollowUp],
  exports: [ConsentLedger, OptOutEnforcer, PersonErasure, ErasureFollowUp],
})
export class ConsentModule {}
