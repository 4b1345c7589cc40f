import { CreateIngestSchema1764000000000 } from './1764000000000-create-ingest-schema';
import { AddRetentionConsentHolds1764100000000 } from './1764100000000-add-retention-consent-holds';

/** Every migration, in order. A new schema change adds its class here. */
export const MIGRATIONS = [CreateIngestSchema1764000000000, AddRetentionConsentHolds1764100000000];
