import { Module } from '@nestjs/common';
import { AuditTrail } from './audit-trail.service';
import { AuditRepository } from './audit.repository';

@Module({ providers: [AuditRepository, AuditTrail], exports: [AuditTrail] })
export class AuditModule {}
