import { Module } from '@nestjs/common';
import { AuditModule } from '@lib/audit';
import { RetentionModule } from '@lib/retention';
import { SessionRegistry } from './session-registry.service';

@Module({ imports: [AuditModule, RetentionModule], providers: [SessionRegistry], exports: [SessionRegistry] })
export class SessionsModule {}
