/**
 * Retryable or permanent is decided once, by the error's type: an error class that knows says so
 * with `retryable` (storage errors, download errors, a malformed delivery). The queue worker and
 * the archive job ask this, never HTTP statuses or error names. Anything else is retried (a
 * failure we cannot classify may pass; attempts are bounded).
 */
export function isPermanent(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === false;
}
