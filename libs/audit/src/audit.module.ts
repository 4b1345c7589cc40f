import { Module } from '@nestjs/common';
import { AuditAnchors } from './audit-anchors.service';
import { AuditSealer } from './audit-sealer.service';
import { AuditTrail } from './audit-trail.service';
import { AuditRepository } from './audit.repository';

@Module({ providers: [AuditRepository, AuditTrail, AuditAnchors, AuditSealer], exports: [AuditTrail, AuditSealer, AuditAnchors] })
export class AuditModule {}
