import { Module } from '@nestjs/common';
import { AuditModule } from '@lib/audit';
import { SessionRegistry } from './session-registry.service';

@Module({ imports: [AuditModule], providers: [SessionRegistry], exports: [SessionRegistry] })
export class SessionsModule {}
