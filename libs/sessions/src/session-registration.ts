import type { PolicyProfileName } from '@lib/config';

export interface RegisteredPerson {
  personId: string;
  displayName: string;
  email?: string | null;
}

/** A validated `PUT /v1/sessions/{id}` body (CONTRACT payload). */
export interface SessionRegistration {
  zoomMeetingId: string;
  startsAt: Date;
  program?: string | null;
  policyProfile: PolicyProfileName;
  tutor: RegisteredPerson;
  learners: Array<RegisteredPerson & { minor: boolean }>;
  parents: Array<RegisteredPerson & { children: string[] }>;
}

export class InvalidSession extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidSession';
  }
}

/** Rules a registration must satisfy beyond its shape. */
export function checkRegistration(input: SessionRegistration): void {
  const learnerIds = new Set(input.learners.map((l) => l.personId));
  const all = [input.tutor.personId, ...input.learners.map((l) => l.personId), ...input.parents.map((p) => p.personId)];
  if (new Set(all).size !== all.length) throw new InvalidSession('a person appears twice in the session');
  for (const parent of input.parents) {
    const unknown = parent.children.filter((c) => !learnerIds.has(c));
    if (unknown.length > 0) throw new InvalidSession(`parent ${parent.personId} names children who are not learners of the session`);
  }
}

/** No registered session has this id: 404, naming the session (a platform id, not personal data). */
export class SessionNotFound extends Error {
  constructor(readonly sessionId: string) {
    super(`session ${sessionId} not found`);
    this.name = 'SessionNotFound';
  }
}
