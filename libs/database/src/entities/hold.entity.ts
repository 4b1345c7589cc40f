import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A hold pauses the deletion of what it covers until it is released. */
@Entity('holds')
export class HoldEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'text' }) scope: 'recording' | 'session' | 'person';
  @Column({ type: 'text', name: 'target_id' }) targetId: string;
  /** Free text: kept here, never in the audit trail. */
  @Column({ type: 'text' }) reason: string;
  @Column({ type: 'text', nullable: true }) note: string | null;
  @Column({ type: 'text', name: 'placed_by' }) placedBy: string;
  @Column({ type: 'timestamptz', name: 'placed_at', precision: 3 }) placedAt: Date;
  @Column({ type: 'text', name: 'released_by', nullable: true }) releasedBy: string | null;
  /** Null while the hold is active. */
  @Column({ type: 'timestamptz', name: 'released_at', precision: 3, nullable: true }) releasedAt: Date | null;
}
