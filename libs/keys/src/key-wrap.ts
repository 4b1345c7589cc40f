import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Keys the service keeps only wrapped by MEDIA_MASTER_KEY (AES-256-GCM): per-stream HLS keys
 * (issue 12) and per-study pseudonym secrets (issue 14). The database never holds key material in
 * the clear, so a dump alone decrypts and links nothing. Wrapped form: `v1.<iv>.<tag>.<ciphertext>`,
 * each base64url.
 */
const VERSION = 'v1';

export class WrappedKeyUnreadable extends Error {
  override readonly name = 'WrappedKeyUnreadable';
  constructor(what = 'key') {
    super(`the wrapped ${what} is malformed or was not wrapped by this master key`);
  }
}

export function wrapKey(key: Buffer, masterKey: Buffer, random: (size: number) => Buffer = randomBytes): string {
  const iv = random(12);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  const sealed = Buffer.concat([cipher.update(key), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), sealed].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/** Throws for anything altered, truncated, of another length or wrapped under another master key. */
export function unwrapKey(wrapped: string, masterKey: Buffer, bytes: number, error: () => Error = () => new WrappedKeyUnreadable()): Buffer {
  const parts = wrapped.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw error();
  const [iv, tag, sealed] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
  if (iv.length !== 12 || tag.length !== 16 || sealed.length !== bytes) throw error();
  try {
    const decipher = createDecipheriv('aes-256-gcm', masterKey, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed), decipher.final()]);
  } catch {
    throw error();
  }
}
