import type { LifecycleRule } from '@aws-sdk/client-s3';

/**
 * The lifecycle rules this service owns, by ID. Everything else in the bucket's lifecycle
 * configuration belongs to the operator (the retention backstop of docs/retention.md,
 * `backstop-media`/`backstop-text`, or anything of their own) and survives every start-up.
 */
export const OUR_LIFECYCLE_RULES: readonly LifecycleRule[] = [
  {
    ID: 'abort-incomplete-multipart-uploads',
    Status: 'Enabled',
    Filter: { Prefix: '' },
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
  },
];

/**
 * The bucket's rules with ours put in: every rule whose ID is not ours kept as it is and where it
 * is, ours replaced (or added at the end). `changed` is false when the bucket already has exactly
 * our rules, so start-up need not write (nor hold the permission to).
 */
export function mergeLifecycleRules(
  existing: readonly LifecycleRule[],
  ours: readonly LifecycleRule[] = OUR_LIFECYCLE_RULES,
): { rules: LifecycleRule[]; changed: boolean } {
  const ourIds = new Set(ours.map((r) => r.ID));
  const kept = existing.filter((r) => !ourIds.has(r.ID));
  const rules = [...kept, ...ours];
  const current = existing.filter((r) => ourIds.has(r.ID));
  const changed = current.length !== ours.length || ours.some((r) => !sameRule(r, current.find((c) => c.ID === r.ID)));
  return { rules, changed };
}

function sameRule(a: LifecycleRule, b: LifecycleRule | undefined): boolean {
  return b !== undefined && canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Versioning and deletion do not mix: on a versioned bucket DeleteObjects leaves every byte as a
 * noncurrent version, so "deleted" would be a lie. We refuse to start on one (Enabled, or
 * Suspended, which still keeps the versions made while it was on) rather than delete version by
 * version: a bucket cannot go back to unversioned, and a separate unversioned bucket is the
 * simple, checkable answer. Returns the start-up error line, or null when the bucket is fine.
 */
export function versioningProblem(bucket: string, status: string | undefined): string | null {
  if (status !== 'Enabled' && status !== 'Suspended') return null;
  return (
    `S3 bucket "${bucket}" has versioning ${status}: deleted recordings would survive as old versions, ` +
    `so the service refuses to use it. Point S3_BUCKET at a bucket that never had versioning ` +
    `(docs/storage.md, "Versioned buckets").`
  );
}
