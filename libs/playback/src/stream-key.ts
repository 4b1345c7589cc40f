import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A stream's AES-128 key (HLS `METHOD=AES-128`), one per packaged source. It is kept only wrapped
 * by MEDIA_MASTER_KEY (AES-256-GCM): the bucket never holds key material, and a database dump alone
 * decrypts nothing. Wrapped form: `v1.<iv>.<tag>.<ciphertext>`, each base64url.
 */
export const STREAM_KEY_BYTES = 16;
const VERSION = 'v1';

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
  const iv = random(12);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  const sealed = Buffer.concat([cipher.update(key), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), sealed].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/** Throws `StreamKeyUnreadable` for anything altered, truncated or wrapped under another master key. */
export function unwrapStreamKey(wrapped: string, masterKey: Buffer): Buffer {
  const parts = wrapped.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new StreamKeyUnreadable();
  const [iv, tag, sealed] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
  if (iv.length !== 12 || tag.length !== 16 || sealed.length !== STREAM_KEY_BYTES) throw new StreamKeyUnreadable();
  try {
    const decipher = createDecipheriv('aes-256-gcm', masterKey, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed), decipher.final()]);
  } catch {
    throw new StreamKeyUnreadable();
  }
}
