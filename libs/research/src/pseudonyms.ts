import { createHmac, randomBytes } from 'node:crypto';
import { unwrapKey, wrapKey } from '@lib/keys';

/**
 * Study pseudonyms (issue 14 item 4): a keyed hash with the study's own secret, so a person has
 * the same pseudonym in every export of a study and nothing links it to their pseudonym in another
 * study (or to their id) without that secret. The secret exists only wrapped by MEDIA_MASTER_KEY.
 */
export const STUDY_SECRET_BYTES = 32;

export function newStudySecret(masterKey: Buffer, random: (size: number) => Buffer = randomBytes): string {
  return wrapKey(random(STUDY_SECRET_BYTES), masterKey, random);
}

export function studySecret(wrapped: string, masterKey: Buffer): Buffer {
  return unwrapKey(wrapped, masterKey, STUDY_SECRET_BYTES);
}

const ROLE_LABEL = { tutor: 'TUTOR', learner: 'LEARNER', parent: 'PARENT', session: 'SESSION', recording: 'RECORDING' } as const;

/** `[LEARNER 3f9c2a71d0]`: the role stays readable (talk time needs it), the person does not; `session-…`, `recording-…` for folders. */
export function pseudonym(secret: Buffer, kind: keyof typeof ROLE_LABEL, id: string): string {
  const digest = createHmac('sha256', secret).update(`${kind}\u0000${id}`).digest('hex').slice(0, 10);
  return kind === 'session' || kind === 'recording' ? `${kind}-${digest}` : `[${ROLE_LABEL[kind]} ${digest}]`;
}
