import { ArtifactEntity } from './entities/artifact.entity';
import { AuditEntryEntity } from './entities/audit-entry.entity';
import { PersonEntity } from './entities/person.entity';
import { RecordingEntity } from './entities/recording.entity';
import { SessionParticipantEntity } from './entities/session-participant.entity';
import { TutoringSessionEntity } from './entities/tutoring-session.entity';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';

export const ENTITIES = [
  PersonEntity,
  TutoringSessionEntity,
  SessionParticipantEntity,
  RecordingEntity,
  ArtifactEntity,
  WebhookDeliveryEntity,
  AuditEntryEntity,
];
