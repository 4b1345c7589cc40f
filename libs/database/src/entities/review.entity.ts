import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A reviewer's outcome for a recording; a `safety` outcome names the hold it placed. */
@Entity('reviews')
export class ReviewEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid', name: 'recording_id' }) recordingId: string;
  @Column({ type: 'text' }) outcome: 'ok' | 'coach' | 'safety';
  /** Free text: kept here, never in the audit trail; redacted by an erasure. */
  @Column({ type: 'text', nullable: true }) note: string | null;
  @Column({ type: 'text', name: 'reviewer_id' }) reviewerId: string;
  @Column({ type: 'uuid', name: 'hold_id', nullable: true }) holdId: string | null;
  @Column({ type: 'timestamptz', precision: 3 }) at: Date;
}
