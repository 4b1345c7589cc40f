import { randomBytes } from 'node:crypto';

/**
 * Object keys carry no names, emails, topics, meeting ids or uuids, and cannot be guessed from any
 * id we hand out: a random prefix per recording and a random name per object.
 */
export function newStoragePrefix(): string {
  return `r/${randomBytes(16).toString('hex')}`;
}

export function newObjectKey(prefix: string, extension: string | null): string {
  const ext = extension && /^[a-z0-9]{1,8}$/i.test(extension) ? `.${extension.toLowerCase()}` : '';
  return `${prefix}/${randomBytes(12).toString('hex')}${ext}`;
}

/** A research export's archive: its own prefix, reconciled and expired on its own terms. */
export function newExportKey(): string {
  return `x/${randomBytes(16).toString('hex')}.zip`;
}
