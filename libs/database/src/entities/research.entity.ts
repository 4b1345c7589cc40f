import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export type ConsentModel = 'opt_in' | 'opt_out';
export type ExportStatus = 'requested' | 'approved' | 'rejected' | 'building' | 'ready' | 'failed' | 'expired' | 'revoked';

/** A research study (issue 14): what it covers, its consent model, what it may receive, its researchers. */
@Entity('studies')
export class StudyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text', array: true }) programs: string[];
  @Column({ type: 'timestamptz', name: 'sessions_from', precision: 3 }) sessionsFrom: Date;
  @Column({ type: 'timestamptz', name: 'sessions_to', precision: 3 }) sessionsTo: Date;
  @Column({ type: 'text', name: 'consent_model' }) consentModel: ConsentModel;
  @Column({ type: 'text', array: true }) kinds: string[];
  @Column({ type: 'timestamptz', name: 'agreement_expires_at', precision: 3 }) agreementExpiresAt: Date;
  /** A non-consenting participant: their words are removed (`remove`) or the session is left out (`drop_session`). */
  @Column({ type: 'text', name: 'non_consenting', default: 'remove' }) nonConsenting: 'remove' | 'drop_session';
  @Column({ type: 'boolean', name: 'rebuild_on_revocation', default: false }) rebuildOnRevocation: boolean;
  @Column({ type: 'integer', name: 'download_limit', default: 5 }) downloadLimit: number;
  /** The per-study pseudonym key, only ever wrapped by MEDIA_MASTER_KEY. */
  @Column({ type: 'text', name: 'pseudonym_secret_wrapped' }) pseudonymSecretWrapped: string;
  @Column({ type: 'text', name: 'created_by' }) createdBy: string;
  @Column({ type: 'timestamptz', name: 'created_at', precision: 3 }) createdAt: Date;
}

@Entity('study_researchers')
export class StudyResearcherEntity {
  @PrimaryColumn('uuid', { name: 'study_id' }) studyId: string;
  @PrimaryColumn('text', { name: 'person_id' }) personId: string;
}

/** One export of a study: its state, who decided, the archive once built (its key, checksum, expiry). */
@Entity('research_exports')
export class ResearchExportEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid', name: 'study_id' }) studyId: string;
  @Column({ type: 'text' }) status: ExportStatus;
  @Column({ type: 'jsonb' }) criteria: Record<string, unknown>;
  @Column({ type: 'text', name: 'requested_by' }) requestedBy: string;
  @Column({ type: 'timestamptz', name: 'requested_at', precision: 3 }) requestedAt: Date;
  @Column({ type: 'text', name: 'decided_by', nullable: true }) decidedBy: string | null;
  @Column({ type: 'timestamptz', name: 'decided_at', precision: 3, nullable: true }) decidedAt: Date | null;
  @Column({ type: 'uuid', name: 'rebuilt_from', nullable: true }) rebuiltFrom: string | null;
  @Column({ type: 'text', name: 'storage_key', nullable: true, unique: true }) storageKey: string | null;
  @Column({ type: 'bigint', name: 'size_bytes', nullable: true }) sizeBytes: string | null;
  @Column({ type: 'text', nullable: true }) sha256: string | null;
  @Column({ type: 'text', name: 'consent_snapshot_hash', nullable: true }) consentSnapshotHash: string | null;
  @Column({ type: 'text', name: 'deid_version', nullable: true }) deidVersion: string | null;
  /** Counts only (sessions, files, exclusions by reason): never identities. */
  @Column({ type: 'jsonb', nullable: true }) summary: Record<string, unknown> | null;
  @Column({ type: 'timestamptz', name: 'built_at', precision: 3, nullable: true }) builtAt: Date | null;
  @Column({ type: 'timestamptz', name: 'expires_at', precision: 3, nullable: true }) expiresAt: Date | null;
  @Column({ type: 'integer', default: 0 }) downloads: number;
  @Column({ type: 'timestamptz', name: 'revoked_at', precision: 3, nullable: true }) revokedAt: Date | null;
  @Column({ type: 'text', name: 'revoked_reason', nullable: true }) revokedReason: string | null;
  @Column({ type: 'text', name: 'failure_reason', nullable: true }) failureReason: string | null;
  @Column({ type: 'timestamptz', name: 'updated_at', precision: 3 }) updatedAt: Date;
}

/** Who is in a built export (ids only): what a withdrawal or an erasure looks up. */
@Entity('research_export_people')
export class ResearchExportPersonEntity {
  @PrimaryColumn('uuid', { name: 'export_id' }) exportId: string;
  @PrimaryColumn('text', { name: 'person_id' }) personId: string;
}
