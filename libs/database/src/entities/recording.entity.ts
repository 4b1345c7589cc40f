import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type RecordingStatus = 'archiving' | 'archived' | 'incomplete';
export type ZoomCloudState = 'present' | 'trashed' | 'deleted' | 'recovered';

/** One Zoom meeting instance's cloud recording, as we archive it. */
@Entity('recordings')
export class RecordingEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index('recordings_zoom_uuid', { unique: true })
  @Column({ type: 'text', name: 'zoom_meeting_uuid' })
  zoomMeetingUuid: string;
  @Column({ type: 'text', name: 'zoom_meeting_id' }) zoomMeetingId: string;
  @Column({ type: 'text', name: 'zoom_account_id', nullable: true }) zoomAccountId: string | null;
  @Column({ type: 'text', name: 'zoom_host_id', nullable: true }) zoomHostId: string | null;
  /** Null while no registered session matches: the strictest policy then applies. */
  @Column({ type: 'text', name: 'session_id', nullable: true }) sessionId: string | null;
  @Column({ type: 'text', name: 'policy_profile' }) policyProfile: string;
  @Column({ type: 'timestamptz', name: 'started_at', precision: 3 }) startedAt: Date;
  @Column({ type: 'integer', name: 'duration_minutes', nullable: true }) durationMinutes: number | null;
  @Column({ type: 'text' }) status: RecordingStatus;
  /** Random per recording; every object key of the recording lives under it. */
  @Column({ type: 'text', name: 'storage_prefix' }) storagePrefix: string;
  /** The newest download token Zoom gave us (24 h lifetime); used by archive jobs only. */
  @Column({ type: 'text', name: 'download_token', nullable: true, select: false }) downloadToken: string | null;
  @Column({ type: 'text', name: 'zoom_cloud_state', default: 'present' }) zoomCloudState: ZoomCloudState;
  @Column({ type: 'timestamptz', name: 'zoom_cloud_changed_at', precision: 3, nullable: true }) zoomCloudChangedAt: Date | null;
  @Column({ type: 'text', name: 'cloud_copy_action', nullable: true }) cloudCopyAction: string | null;
  @Column({ type: 'timestamptz', name: 'cloud_copy_requested_at', precision: 3, nullable: true }) cloudCopyRequestedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 }) updatedAt: Date;
}
