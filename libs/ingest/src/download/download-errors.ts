/**
 * Why a download failed, as the archive job needs to know it: refuse for good, ask for a fresh
 * token, or try again later. `reason` is stored on the artifact and logged, so it never holds a
 * URL (paths and queries carry signatures and tokens), a token, or anything about a person.
 */
export abstract class DownloadError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** The allow-list or the address guard said no. Never retried: the same URL gets the same answer. */
export class DownloadRefused extends DownloadError {
  override readonly name = 'DownloadRefused';
  readonly retryable = false;
}

/** The host answered for good (400/403/404/410, an HTML page or a JSON error). Never retried. */
export class DownloadRejected extends DownloadError {
  override readonly name = 'DownloadRejected';
  readonly retryable = false;
  constructor(reason: string, readonly status?: number) {
    super(reason);
  }
}

/** Zoom's host answered 401: the caller may fetch a fresh download token and try again. */
export class DownloadTokenRejected extends DownloadError {
  override readonly name = 'DownloadTokenRejected';
  readonly retryable = true;
  readonly status = 401;
}

/** Network trouble, a stall, 408/429/5xx: retried with backoff. */
export class DownloadTransient extends DownloadError {
  override readonly name = 'DownloadTransient';
  readonly retryable = true;
  constructor(
    reason: string,
    readonly status?: number,
    /** From a `Retry-After` header, when the host sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(reason);
  }
}

export function isRetryableDownloadError(e: unknown): e is DownloadTransient {
  return e instanceof DownloadTransient;
}
