/**
 * What consent needs from research exports (issue 14 item 7), as a port: a withdrawal of research
 * consent, or an erasure, revokes every export holding the person. libs/research provides it
 * (globally), so consent never imports research — research reads the ledger, not the reverse.
 */
export abstract class ResearchExports {
  /** Revokes every building or ready export holding the person (in one study, or all when null); returns how many. */
  abstract revokeContaining(personId: string, cause: 'consent_withdrawn' | 'erasure', actorId: string, studyId?: string | null): Promise<number>;
}
