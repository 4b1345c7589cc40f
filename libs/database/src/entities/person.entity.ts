import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A person the platform told us about (tutor, learner, parent). Ids are the platform's. */
@Entity('people')
export class PersonEntity {
  @PrimaryColumn('text') id: string;
  @Column({ type: 'text', name: 'display_name' }) displayName: string;
  @Column({ type: 'text', nullable: true }) email: string | null;
  /** Known to be under 18 (COPPA-style protections apply to all minors). */
  @Column({ type: 'boolean', nullable: true }) minor: boolean | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 }) updatedAt: Date;
  /** When an erasure removed this person's name and email (the row stays, ids only). */
  @Column({ type: 'timestamptz', name: 'erased_at', precision: 3, nullable: true }) erasedAt: Date | null;
}
