/**
 * What went wrong with object storage, decided once, here, by the type: callers (the archive job,
 * the queue worker, the deletion path) ask `retryable` instead of reading HTTP statuses or SDK
 * error names. Messages name the operation and the server's code, never a key or a body.
 */
export abstract class StorageError extends Error {
  /** True when the same call may succeed later (network, throttling, 5xx). */
  abstract readonly retryable: boolean;
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The server could not be reached or asked us to come back later (network, 408, 429, 5xx): retry. */
export class StorageUnavailable extends StorageError {
  override readonly name = 'StorageUnavailable';
  readonly retryable = true;
}

/** The server refused the request for good (403 access denied, 400, a missing bucket): do not retry. */
export class StorageRefused extends StorageError {
  override readonly name = 'StorageRefused';
  readonly retryable = false;
}

/** The object is not there (404): asking again does not bring it back. */
export class ObjectMissing extends StorageError {
  override readonly name = 'ObjectMissing';
  readonly retryable = false;
}

interface SdkErrorShape {
  name?: string;
  Code?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

export function statusOf(error: unknown): number | undefined {
  return (error as SdkErrorShape | null)?.$metadata?.httpStatusCode;
}

const RETRYABLE_CODES = new Set(['SlowDown', 'RequestTimeout', 'RequestTimeTooSkewed', 'InternalError', 'ServiceUnavailable', 'Throttling', 'ThrottlingException', 'TimeoutError']);
const MISSING_CODES = new Set(['NoSuchKey', 'NotFound', 'NoSuchUpload', 'NoSuchVersion']);

/**
 * Maps whatever the S3 SDK (or the socket under it) threw to a storage error. An error without an
 * HTTP status never got an answer from the server (refused connection, reset, timeout): retryable.
 */
export function toStorageError(error: unknown, operation: string): StorageError {
  if (error instanceof StorageError) return error;
  const e = (error ?? {}) as SdkErrorShape;
  const status = statusOf(error);
  const code = e.Code ?? (typeof e.code === 'string' ? e.code : undefined) ?? e.name;
  const what = `storage ${operation} failed (${status ? `HTTP ${status}` : 'no answer'}${code ? `, ${code}` : ''})`;
  if (status === undefined) return new StorageUnavailable(what, status, code);
  if (code === 'NoSuchBucket') return new StorageRefused(what, status, code);
  if (status === 404 || (code && MISSING_CODES.has(code))) return new ObjectMissing(what, status, code);
  if (status === 408 || status === 429 || status >= 500 || (code && RETRYABLE_CODES.has(code)) || e.$retryable) {
    return new StorageUnavailable(what, status, code);
  }
  return new StorageRefused(what, status, code);
}
