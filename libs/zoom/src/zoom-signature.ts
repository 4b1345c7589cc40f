import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureVerdict =
  | { ok: true }
  | { ok: false; reason: 'missing signature headers' | 'malformed signature' | 'stale timestamp' | 'signature mismatch' };

/** `v0=` + hex(HMAC-SHA256(secret, `v0:{timestamp}:{raw body}`)), as Zoom signs a delivery. */
export function zoomSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
  const mac = createHmac('sha256', secret);
  mac.update(`v0:${timestamp}:`);
  mac.update(rawBody);
  return `v0=${mac.digest('hex')}`;
}

/**
 * Checks a delivery's signature over the raw bytes, in constant time, and refuses timestamps
 * outside the replay window (either direction: a future timestamp is as suspect as an old one).
 */
export function verifyZoomSignature(input: {
  secret: string;
  rawBody: Buffer;
  timestampHeader: string | undefined;
  signatureHeader: string | undefined;
  nowMs: number;
  replayWindowSeconds: number;
}): SignatureVerdict {
  const { timestampHeader, signatureHeader } = input;
  if (!timestampHeader || !signatureHeader) return { ok: false, reason: 'missing signature headers' };
  if (!/^\d{1,12}$/.test(timestampHeader) || !/^v0=[0-9a-f]{64}$/.test(signatureHeader)) {
    return { ok: false, reason: 'malformed signature' };
  }
  const skewSeconds = Math.abs(input.nowMs / 1000 - Number(timestampHeader));
  if (skewSeconds > input.replayWindowSeconds) return { ok: false, reason: 'stale timestamp' };
  const expected = Buffer.from(zoomSignature(input.secret, timestampHeader, input.rawBody));
  const given = Buffer.from(signatureHeader);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'signature mismatch' };
  }
  return { ok: true };
}

/** The answer to `endpoint.url_validation`: `encryptedToken` = hex(HMAC-SHA256(secret, plainToken)). */
export function urlValidationAnswer(secret: string, plainToken: string): { plainToken: string; encryptedToken: string } {
  return { plainToken, encryptedToken: createHmac('sha256', secret).update(plainToken).digest('hex') };
}
