import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type ArtifactKind =
  | 'video'
  | 'audio'
  | 'participant_audio'
  | 'transcript'
  | 'chat'
  | 'timeline'
  | 'other'
  | 'stream'
  | 'talk_time'
  | 'image'
  | 'verification_video';
export type ArtifactStatus = 'pending' | 'stored' | 'failed' | 'discarded' | 'deleted';

export interface MediaStreamInfo {
  type: string;
  codec: string | null;
  width?: number;
  height?: number;
  sampleRate?: number;
  channels?: number;
}
export interface MediaInfo {
  durationSeconds: number | null;
  formatName: string | null;
  streams: MediaStreamInfo[];
}

/** One stored file: a Zoom file (exactly one per Zoom file) or something we derived. */
@Entity('artifacts')
@Index('artifacts_recording_file', ['recordingId', 'zoomFileKey'], { unique: true })
export class ArtifactEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid', name: 'recording_id', nullable: true }) recordingId: string | null;
  @Column({ type: 'text' }) kind: ArtifactKind;
  /** Zoom's file id, or `file_type@recording_start` for entries Zoom sends without one. */
  @Column({ type: 'text', name: 'zoom_file_key', nullable: true }) zoomFileKey: string | null;
  @Column({ type: 'text', name: 'zoom_file_type', nullable: true }) zoomFileType: string | null;
  @Column({ type: 'text', name: 'zoom_recording_type', nullable: true }) zoomRecordingType: string | null;
  @Column({ type: 'text', name: 'zoom_file_status', nullable: true }) zoomFileStatus: string | null;
  @Column({ type: 'text', name: 'file_extension', nullable: true }) fileExtension: string | null;
  @Column({ type: 'text', name: 'source_url', nullable: true, select: false }) sourceUrl: string | null;
  @Column({ type: 'timestamptz', name: 'recording_start', precision: 3, nullable: true }) recordingStart: Date | null;
  @Column({ type: 'timestamptz', name: 'recording_end', precision: 3, nullable: true }) recordingEnd: Date | null;
  /** The person a per-participant audio file belongs to, when the display name matched one. */
  @Column({ type: 'text', name: 'person_id', nullable: true }) personId: string | null;
  @Column({ type: 'text', name: 'storage_key', unique: true }) storageKey: string;
  @Column({ type: 'text', name: 'content_type', nullable: true }) contentType: string | null;
  @Column({ type: 'bigint', name: 'expected_size', nullable: true, transformer: bigintTransformer() }) expectedSize: number | null;
  @Column({ type: 'bigint', name: 'size_bytes', nullable: true, transformer: bigintTransformer() }) sizeBytes: number | null;
  @Column({ type: 'text', nullable: true }) sha256: string | null;
  @Column({ type: 'double precision', name: 'duration_seconds', nullable: true }) durationSeconds: number | null;
  @Column({ type: 'jsonb', name: 'media_info', nullable: true }) mediaInfo: MediaInfo | null;
  @Column({ type: 'text' }) status: ArtifactStatus;
  /** Why it failed, was discarded or deleted; while pending, the last transient error. */
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ type: 'integer', default: 0 }) attempts: number;
  @Column({ type: 'timestamptz', name: 'expires_at', precision: 3, nullable: true }) expiresAt: Date | null;
  @Column({ type: 'timestamptz', name: 'stored_at', precision: 3, nullable: true }) storedAt: Date | null;
  @Column({ type: 'timestamptz', name: 'failed_at', precision: 3, nullable: true }) failedAt: Date | null;
  @Column({ type: 'timestamptz', name: 'deleted_at', precision: 3, nullable: true }) deletedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 }) updatedAt: Date;

  // Uploads (images, verification videos) belong to a session, not a recording: one of the two is set.
  @Column({ type: 'text', name: 'session_id', nullable: true }) sessionId: string | null;
  /** Retention: the class, the profile and policy version the expiry came from, and where its clock started. */
  @Column({ type: 'text', name: 'retention_class', nullable: true }) retentionClass: string | null;
  @Column({ type: 'text', name: 'policy_profile', nullable: true }) policyProfile: string | null;
  @Column({ type: 'integer', name: 'policy_version', nullable: true }) policyVersion: number | null;
  @Column({ type: 'timestamptz', name: 'retention_anchor_at', precision: 3, nullable: true }) retentionAnchorAt: Date | null;
  /** An opt-out or erasure asked for it to go (the sweep picks it up), and why. */
  @Column({ type: 'timestamptz', name: 'delete_requested_at', precision: 3, nullable: true }) deleteRequestedAt: Date | null;
  @Column({ type: 'text', name: 'delete_reason', nullable: true }) deleteReason: string | null;
  /** When the sweep last handed it to a delete job (later sweeps leave it to that job for a while). */
  @Column({ type: 'timestamptz', name: 'delete_queued_at', precision: 3, nullable: true }) deleteQueuedAt: Date | null;
  /** The deletion receipt: the audit entry that records the deletion, and its chained hash. */
  @Column({ type: 'bigint', name: 'deletion_audit_id', nullable: true }) deletionAuditId: string | null;
  @Column({ type: 'text', name: 'deletion_audit_hash', nullable: true }) deletionAuditHash: string | null;
  /** Zoom's display name on a per-participant audio file (cleared by erasure). */
  @Column({ type: 'text', name: 'participant_label', nullable: true }) participantLabel: string | null;
  /** The artifact this one was made from (a stream from its video, extracted audio). */
  @Column({ type: 'uuid', name: 'derived_from', nullable: true }) derivedFrom: string | null;
  /** Images: the learners pictured (each needs a current images consent). */
  @Column({ type: 'text', name: 'pictured_person_ids', array: true, nullable: true }) picturedPersonIds: string[] | null;
  /** Verification videos: the reviewer's decision, which starts the deletion clock. */
  @Column({ type: 'text', name: 'review_decision', nullable: true }) reviewDecision: string | null;
  @Column({ type: 'timestamptz', name: 'reviewed_at', precision: 3, nullable: true }) reviewedAt: Date | null;
  @Column({ type: 'text', name: 'reviewed_by', nullable: true }) reviewedBy: string | null;
  /** Streams: the AES-128 key, wrapped by MEDIA_MASTER_KEY (never stored in the bucket). */
  @Column({ type: 'text', name: 'stream_key_wrapped', nullable: true }) streamKeyWrapped: string | null;
  /** Streams: packaged from audio only (no video was stored). */
  @Column({ type: 'boolean', name: 'stream_audio_only', nullable: true }) streamAudioOnly: boolean | null;
}

function bigintTransformer() {
  return {
    to: (value: number | null | undefined) => value,
    from: (value: string | null) => (value === null ? null : Number(value)),
  };
}
