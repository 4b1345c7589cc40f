import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A recording assigned to a (volunteer) reviewer of a team: what lets a volunteer watch it. */
@Entity('review_assignments')
@Index('review_assignments_reviewer', ['reviewerId', 'assignedAt'])
export class ReviewAssignmentEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid', name: 'recording_id' }) recordingId: string;
  @Column({ type: 'text', name: 'reviewer_id' }) reviewerId: string;
  @Column({ type: 'text' }) team: string;
  @Column({ type: 'text', name: 'assigned_by' }) assignedBy: string;
  @Column({ type: 'timestamptz', name: 'assigned_at', precision: 3 }) assignedAt: Date;
}
