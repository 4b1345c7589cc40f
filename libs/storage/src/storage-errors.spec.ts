import { ObjectMissing, StorageRefused, StorageUnavailable, toStorageError } from './storage-errors';

const sdk = (status: number | undefined, name: string) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe('toStorageError: retryable or permanent, decided by the type', () => {
  it('treats an error the server never answered (refused connection, reset, timeout) as retryable', () => {
    const e = toStorageError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), 'put');
    expect(e).toBeInstanceOf(StorageUnavailable);
    expect(e.retryable).toBe(true);
  });

  it.each([
    [500, 'InternalError'],
    [503, 'SlowDown'],
    [429, 'TooManyRequests'],
    [408, 'RequestTimeout'],
    [400, 'RequestTimeout'],
  ])('treats HTTP %s (%s) as storage unavailable, retryable', (status, name) => {
    const e = toStorageError(sdk(status, name), 'head');
    expect(e).toBeInstanceOf(StorageUnavailable);
    expect(e.retryable).toBe(true);
  });

  it('treats a missing object as ObjectMissing, permanent', () => {
    for (const err of [sdk(404, 'NotFound'), sdk(404, 'NoSuchKey')]) {
      const e = toStorageError(err, 'read');
      expect(e).toBeInstanceOf(ObjectMissing);
      expect(e.retryable).toBe(false);
    }
  });

  it('treats access denied, a bad request and a missing bucket as refused, permanent', () => {
    for (const err of [sdk(403, 'AccessDenied'), sdk(400, 'InvalidArgument'), sdk(404, 'NoSuchBucket')]) {
      const e = toStorageError(err, 'delete');
      expect(e).toBeInstanceOf(StorageRefused);
      expect(e.retryable).toBe(false);
    }
  });

  it('names the operation, the status and the code, and keeps an already translated error as it is', () => {
    const e = toStorageError(sdk(403, 'AccessDenied'), 'put');
    expect(e.message).toBe('storage put failed (HTTP 403, AccessDenied)');
    expect(e.status).toBe(403);
    expect(toStorageError(e, 'other')).toBe(e);
  });
});
