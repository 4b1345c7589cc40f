import { isPermanent } from '@lib/jobs';
import { ObjectMissing, StorageRefused, StorageUnavailable } from '@lib/storage';
import { DownloadRefused, DownloadRejected, DownloadTokenRejected, DownloadTransient } from './download';
import { DownloadTokenExpired, MalformedDelivery } from './ingest-errors';

describe('isPermanent: retryable or permanent, by the error type', () => {
  it('does not retry what cannot change: refused or rejected downloads, an expired token, a malformed delivery', () => {
    for (const e of [new DownloadRefused('r'), new DownloadRejected('r'), new DownloadTokenExpired('r'), new MalformedDelivery('r')]) expect(isPermanent(e)).toBe(true);
  });

  it('does not retry a storage refusal or a missing object', () => {
    expect(isPermanent(new StorageRefused('storage put failed (HTTP 403, AccessDenied)'))).toBe(true);
    expect(isPermanent(new ObjectMissing('storage read failed (HTTP 404, NoSuchKey)'))).toBe(true);
  });

  it('retries storage that is unavailable, transient download trouble, and anything it cannot classify', () => {
    for (const e of [new StorageUnavailable('s'), new DownloadTransient('t'), new DownloadTokenRejected('t'), new Error('x'), 'text', null]) {
      expect(isPermanent(e)).toBe(false);
    }
  });
});
