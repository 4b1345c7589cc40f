import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A text artifact an erasure request has dealt with: the follow-up reads only the others. */
@Entity('erasure_redactions')
export class ErasureRedactionEntity {
  @PrimaryColumn('uuid', { name: 'erasure_request_id' }) erasureRequestId: string;
  @PrimaryColumn('uuid', { name: 'artifact_id' }) artifactId: string;
  @Column({ type: 'integer' }) replacements: number;
  @Column({ type: 'timestamptz', precision: 3 }) at: Date;
}
