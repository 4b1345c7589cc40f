import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ParticipantRole = 'tutor' | 'learner' | 'parent';

@Entity('session_participants')
export class SessionParticipantEntity {
  @PrimaryColumn('text', { name: 'session_id' }) sessionId: string;
  @PrimaryColumn('text', { name: 'person_id' }) personId: string;
  @PrimaryColumn('text') role: ParticipantRole;
  /** For parents: the learners (person ids) they are the guardian of in this session. */
  @Column({ type: 'text', array: true, default: () => "'{}'" }) children: string[];
}
