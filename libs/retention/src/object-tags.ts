/**
 * Tags every archived object carries (defence in depth): its retention class and the day it
 * expires, so a bucket lifecycle rule can still delete by tag if the service were down for long
 * (docs/retention.md). The database stays authoritative: the tags are written once, at archive.
 */
export const TAG_RETENTION_CLASS = 'retention-class';
export const TAG_EXPIRES_ON = 'expires-on';

export function retentionTags(retentionClass: string | null, expiresAt: Date | null): Record<string, string> {
  const tags: Record<string, string> = { [TAG_RETENTION_CLASS]: retentionClass ?? 'unassigned' };
  // The UTC day the object becomes due (YYYY-MM-DD); absent when it has no fixed end.
  tags[TAG_EXPIRES_ON] = expiresAt ? expiresAt.toISOString().slice(0, 10) : 'none';
  return tags;
}
