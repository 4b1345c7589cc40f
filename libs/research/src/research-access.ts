import type { Principal } from '@lib/auth';

/**
 * Who sees what of research (POLICIES §1: researchers of an approved study, via an approved export).
 * A study and its exports: admins, and the study's own researchers. A download: the study's
 * researchers only. Anyone else is told the study or export does not exist (404), so a researcher
 * of another study learns nothing, not even that it exists.
 */
export function maySeeStudy(caller: Principal, researchers: readonly string[]): boolean {
  return caller.roles.includes('admin') || isMember(caller, researchers);
}

export function isMember(caller: Principal, researchers: readonly string[]): boolean {
  return caller.roles.includes('researcher') && researchers.includes(caller.personId);
}
