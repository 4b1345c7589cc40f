import { ArtifactEntity } from './entities/artifact.entity';
import { AuditEntryEntity, AuditSealEntity, AuditUnsealedEntity } from './entities/audit-entry.entity';
import { ConsentDecisionEntity } from './entities/consent-decision.entity';
import { ErasureRedactionEntity } from './entities/erasure-redaction.entity';
import { ErasureRequestEntity } from './entities/erasure-request.entity';
import { HoldEntity } from './entities/hold.entity';
import { PersonEntity } from './entities/person.entity';
import { RecordingEntity } from './entities/recording.entity';
import { RetentionPolicyEntity } from './entities/retention-policy.entity';
import { ReviewAssignmentEntity } from './entities/review-assignment.entity';
import { ReviewEntity } from './entities/review.entity';
import { RetentionSweepEntity } from './entities/retention-sweep.entity';
import { SessionParticipantEntity } from './entities/session-participant.entity';
import { TutoringSessionEntity } from './entities/tutoring-session.entity';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { TalkTimeReportEntity, TalkTimeSpeakerEntity } from './entities/talk-time-report.entity';
import { AnalysedSourceEntity, AnalysisOwedEntity, SafetyExceptionEntity, SafetyFlagEntity } from './entities/safety-flag.entity';
import { ResearchExportEntity, ResearchExportPersonEntity, StudyEntity, StudyResearcherEntity } from './entities/research.entity';

/**
 * The declared schema: one entity per table the migrations create, every column with its type and
 * nullability (test/schema.e2e-spec.ts compares them with the migrated database). The migrations
 * change the schema; `synchronize` stays off.
 */
export const ENTITIES = [
  PersonEntity,
  TutoringSessionEntity,
  SessionParticipantEntity,
  RecordingEntity,
  ArtifactEntity,
  WebhookDeliveryEntity,
  AuditEntryEntity,
  AuditSealEntity,
  AuditUnsealedEntity,
  RetentionPolicyEntity,
  ConsentDecisionEntity,
  HoldEntity,
  ErasureRequestEntity,
  ErasureRedactionEntity,
  RetentionSweepEntity,
  ReviewAssignmentEntity,
  ReviewEntity,
  TalkTimeReportEntity,
  TalkTimeSpeakerEntity,
  SafetyExceptionEntity,
  SafetyFlagEntity,
  AnalysedSourceEntity,
  AnalysisOwedEntity,
  StudyEntity,
  StudyResearcherEntity,
  ResearchExportEntity,
  ResearchExportPersonEntity,
];
