import { Module } from '@nestjs/common';
import { AuditModule } from '@lib/audit';
import { ArtifactDeletion } from './artifact-deletion.service';
import { DueArtifacts } from './due-artifacts.repository';
import { ExpiryAssigner } from './expiry-assigner.service';
import { HoldRegistry } from './hold-registry.service';
import { ObjectReconcilerRepository } from './object-reconciler.repository';
import { ObjectReconciler } from './object-reconciler.service';
import { RetentionPolicies } from './retention-policies.service';
import { RetentionStatus } from './retention-status.service';
import { RetentionSweeper } from './retention-sweeper.service';

const RETENTION_SERVICES = [ArtifactDeletion, RetentionPolicies, ExpiryAssigner, HoldRegistry, DueArtifacts, RetentionSweeper, RetentionStatus, ObjectReconcilerRepository, ObjectReconciler];

@Module({ imports: [AuditModule], providers: RETENTION_SERVICES, exports: RETENTION_SERVICES })
export class RetentionModule {}
