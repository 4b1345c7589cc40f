import { Module } from '@nestjs/common';
import { AuditModule } from '@lib/audit';
import { RetentionModule } from '@lib/retention';
import { PeopleRepository } from './people.repository';
import { SessionRegistry } from './session-registry.service';
import { SessionRepository } from './session.repository';

@Module({ imports: [AuditModule, RetentionModule], providers: [SessionRepository, PeopleRepository, SessionRegistry], exports: [SessionRegistry] })
export class SessionsModule {}
