import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A tutoring session registered by the platform; recordings are matched to it. */
@Entity('sessions')
@Index('sessions_meeting_start', ['zoomMeetingId', 'startsAt'])
export class TutoringSessionEntity {
  @PrimaryColumn('text') id: string;
  @Column({ type: 'text', name: 'zoom_meeting_id' }) zoomMeetingId: string;
  @Column({ type: 'timestamptz', name: 'starts_at', precision: 3 }) startsAt: Date;
  @Column({ type: 'text', nullable: true }) program: string | null;
  @Column({ type: 'text', name: 'policy_profile' }) policyProfile: string;
  @Column({ type: 'text', name: 'tutor_id' }) tutorId: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 }) updatedAt: Date;
}
