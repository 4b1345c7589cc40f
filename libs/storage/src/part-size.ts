const MiB = 1024 * 1024;
const MIN_PART = 8 * MiB;
/** S3 allows 10,000 parts; keep headroom for a file that turns out a little larger than announced. */
const MAX_PARTS = 9000;

/** Part size for a multipart upload of `expectedSize` bytes (unknown size: the minimum). */
export function partSizeFor(expectedSize: number | null): number {
  if (!expectedSize || expectedSize <= MIN_PART * MAX_PARTS) return MIN_PART;
  return Math.ceil(expectedSize / MAX_PARTS / MiB) * MiB;
}
