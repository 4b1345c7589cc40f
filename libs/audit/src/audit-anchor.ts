import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Anchors (issue 15 item 2): the chain's head written outside the database — an object in the
 * bucket under `a/`, signed with an HMAC key from configuration the database never holds — so a
 * chain recomputed from scratch, or a tail cut off, no longer matches what was anchored.
 */
export interface Anchor {
  seq: string;
  hash: string;
  at: string;
}

export const ANCHOR_PREFIX = 'a/';

/** The anchor signing key: AUDIT_ANCHOR_KEY when set, else derived from MEDIA_MASTER_KEY (never stored). */
export function anchorKey(explicit: Buffer | null, masterKey: Buffer): Buffer {
  return explicit ?? Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'audit-anchor', 32));
}

/** Zero-padded, so the bucket lists anchors in sequence order. */
export function anchorObjectKey(seq: string): string {
  return `${ANCHOR_PREFIX}${seq.padStart(20, '0')}.json`;
}

export function signAnchor(anchor: Anchor, key: Buffer): string {
  const signature = createHmac('sha256', key).update(`${anchor.seq}\n${anchor.hash}\n${anchor.at}`).digest('hex');
  return JSON.stringify({ ...anchor, signature });
}

/** The anchor, or null when the object is not one we signed (altered, or signed with another key). */
export function readAnchor(body: string, key: Buffer): Anchor | null {
  let doc: { seq?: unknown; hash?: unknown; at?: unknown; signature?: unknown };
  try {
    doc = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof doc.seq !== 'string' || typeof doc.hash !== 'string' || typeof doc.at !== 'string' || typeof doc.signature !== 'string') return null;
  const expected = createHmac('sha256', key).update(`${doc.seq}\n${doc.hash}\n${doc.at}`).digest();
  const given = Buffer.from(doc.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { seq: doc.seq, hash: doc.hash, at: doc.at };
}
