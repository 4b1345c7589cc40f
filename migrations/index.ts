import { CreateIngestSchema1764000000000 } from './1764000000000-create-ingest-schema';
import { AddRetentionConsentHolds1764100000000 } from './1764100000000-add-retention-consent-holds';
import { AddRetentionSweeps1764250000000 } from './1764250000000-add-retention-sweeps';
import { AddDeliveryBodyHash1764300000000 } from './1764300000000-add-delivery-body-hash';
import { DeliveryTokenAndRedrive1764400000000 } from './1764400000000-delivery-token-and-redrive';
import { AddErasureFollowUp1764411000000 } from './1764411000000-add-erasure-follow-up';
import { RecomputeUnreviewedVerificationExpiry1764500000000 } from './1764500000000-recompute-unreviewed-verification-expiry';
import { AddStreamPackaging1764600000000 } from './1764600000000-add-stream-packaging';
import { AddReviewAssignments1764610000000 } from './1764610000000-add-review-assignments';
import { AddReviewOutcomes1764620000000 } from './1764620000000-add-review-outcomes';
import { AddTalkTimeAndSafetySignals1764700000000 } from './1764700000000-add-talk-time-and-safety-signals';
import { AddResearchStudiesAndExports1764800000000 } from './1764800000000-add-research-studies-and-exports';
import { AddAppRole1764900000000 } from './1764900000000-add-app-role';
import { AuditLogThenSeal1764950000000 } from './1764950000000-audit-log-then-seal';
import { UnsealedAuditEventsWithoutKeyCheck1765000000000 } from './1765000000000-unsealed-audit-events-without-key-check';

/** Every migration, in order. A new schema change adds its class here. */
export const MIGRATIONS = [
  CreateIngestSchema1764000000000, AddRetentionConsentHolds1764100000000, AddRetentionSweeps1764250000000, AddDeliveryBodyHash1764300000000,
  DeliveryTokenAndRedrive1764400000000, AddErasureFollowUp1764411000000, RecomputeUnreviewedVerificationExpiry1764500000000,
  AddStreamPackaging1764600000000,
  AddReviewAssignments1764610000000,
  AddReviewOutcomes1764620000000,
  AddTalkTimeAndSafetySignals1764700000000,
  AddResearchStudiesAndExports1764800000000,
  AddAppRole1764900000000,
  AuditLogThenSeal1764950000000,
  UnsealedAuditEventsWithoutKeyCheck1765000000000,
];
