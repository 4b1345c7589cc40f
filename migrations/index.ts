import { CreateIngestSchema1764000000000 } from './1764000000000-create-ingest-schema';

/** Every migration, in order. A new schema change adds its class here. */
export const MIGRATIONS = [CreateIngestSchema1764000000000];
