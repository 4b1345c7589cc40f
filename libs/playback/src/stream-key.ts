import { randomBytes } from 'node:crypto';
import { unwrapKey, wrapKey } from '@lib/keys';

/**
 * A stream's AES-128 key (HLS `METHOD=AES-128`), one per packaged source. It is kept only wrapped
 * by MEDIA_MASTER_KEY (libs/keys): the bucket never holds key material, and a database dump alone
 * decrypts nothing.
 */
export const STREAM_KEY_BYTES = 16;

export class StreamKeyUnreadable extends Error {
  override readonly name = 'StreamKeyUnreadable';
  constructor() {
    super('the wrapped stream key is malformed or was not wrapped by this master key');
  }
}

export function newStreamKey(random: (size: number) => Buffer = randomBytes): Buffer {
  const key = random(STREAM_KEY_BYTES);
  if (key.length !== STREAM_KEY_BYTES) throw new Error(`a stream key is ${STREAM_KEY_BYTES} bytes`);
  return key;
}

export function wrapStreamKey(key: Buffer, masterKey: Buffer, random: (size: number) => Buffer = randomBytes): string {
  if (key.length !== STREAM_KEY_BYTES) throw new Error(`a stream key is ${STREAM_KEY_BYTES} bytes`);
  return wrapKey(key, masterKey, random);
}

/** Throws `StreamKeyUnreadable` for anything altered, truncated or wrapped under another master key. */
export function unwrapStreamKey(wrapped: string, masterKey: Buffer): Buffer {
  return unwrapKey(wrapped, masterKey, STREAM_KEY_BYTES, () => new StreamKeyUnreadable());
}
