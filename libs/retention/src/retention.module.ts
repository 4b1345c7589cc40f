import { Module } from '@nestjs/common';
import { AuditModule } from '@lib/audit';
import { ArtifactDeletion } from './artifact-deletion.service';
import { DeletableArtifacts } from './deletable-artifacts.repository';
import { DueArtifacts } from './due-artifacts.repository';
import { ExpiryAssigner } from './expiry-assigner.service';
import { ExpiryRepository } from './expiry.repository';
import { HOLIDAY_CALENDAR, holidayCalendarProvider } from './holiday-calendar';
import { HoldRegistry } from './hold-registry.service';
import { ObjectReconcilerRepository } from './object-reconciler.repository';
import { ObjectReconciler } from './object-reconciler.service';
import { HoldRepository } from './hold.repository';
import { RetentionPolicies } from './retention-policies.service';
import { RetentionPolicyRepository } from './retention-policy.repository';
import { RetentionStatus } from './retention-status.service';
import { RetentionSweepRepository } from './retention-sweep.repository';
import { RetentionSweeper } from './retention-sweeper.service';

const REPOSITORIES = [DeletableArtifacts, DueArtifacts, ExpiryRepository, HoldRepository, RetentionPolicyRepository, RetentionSweepRepository, ObjectReconcilerRepository];
const RETENTION_SERVICES = [ArtifactDeletion, RetentionPolicies, ExpiryAssigner, HoldRegistry, RetentionSweeper, RetentionStatus, ObjectReconciler];

@Module({
  imports: [AuditModule],
  providers: [holidayCalendarProvider, ...REPOSITORIES, ...RETENTION_SERVICES],
  exports: [HOLIDAY_CALENDAR, ...REPOSITORIES, ...RETENTION_SERVICES],
})
export class RetentionModule {}
