import { Module } from '@nestjs/common';
import { AuditModule } from '@lib/audit';
import { ArtifactDeletion } from './artifact-deletion.service';
import { DeletableArtifacts } from './deletable-artifacts.repository';
import { DueArtifacts } from './due-artifacts.repository';
import { ExpiryAssigner } from './expiry-assigner.service';
import { HoldRegistry } from './hold-registry.service';
import { HoldRepository } from './hold.repository';
import { RetentionPolicies } from './retention-policies.service';
import { RetentionStatus } from './retention-status.service';
import { RetentionSweeper } from './retention-sweeper.service';

const REPOSITORIES = [DeletableArtifacts, DueArtifacts, HoldRepository];
const RETENTION_SERVICES = [ArtifactDeletion, RetentionPolicies, ExpiryAssigner, HoldRegistry, RetentionSweeper, RetentionStatus];

@Module({ imports: [AuditModule], providers: [...REPOSITORIES, ...RETENTION_SERVICES], exports: [...REPOSITORIES, ...RETENTION_SERVICES] })
export class RetentionModule {}
