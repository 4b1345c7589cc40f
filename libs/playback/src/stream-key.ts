import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A stream's AES-128 key, kept only wrapped by MEDIA_MASTER_KEY (AES-256-GCM), as
 * `v1.<iv>.<tag>.<ciphertext>` in base64url. Pure but for the wrapping IV (fresh random bytes unless given).
 * (Written by the playback engineer exactly as the shared design fixes it, so playback and its
 * tests could run before the packaging job landed; the packaging branch owns this file.)
 */
export function newStreamKey(random: (size: number) => Buffer): Buffer {
  return random(16);
}

export function wrapStreamKey(key: Buffer, masterKey: Buffer, iv: Buffer = randomBytes(12)): string {
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  const ct = Buffer.concat([cipher.update(key), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

/** Throws on anything but an intact wrapped key under this master key (tampering included). */
export function unwrapStreamKey(wrapped: string, masterKey: Buffer): Buffer {
  const [version, iv, tag, ct, ...rest] = wrapped.split('.');
  if (version !== 'v1' || !iv || !tag || !ct || rest.length > 0) throw new Error('not a wrapped stream key');
  const decipher = createDecipheriv('aes-256-gcm', masterKey, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
}
