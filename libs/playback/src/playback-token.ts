import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * The playback token: the credential that rides in every playback URI (CONTRACT "Playback"), so any
 * HLS player fetches playlist, segments and key with no header and no cookie. Compact:
 * base64url(JSON claims) + '.' + base64url(HMAC-SHA256 of the first part). Every claim is covered
 * by the signature: changing the recording, the person, the roles or the expiry makes it forged.
 */
export interface PlaybackClaims {
  recordingId: string;
  personId: string;
  /** The roles the grant was made under: access is checked again with them while the stream is served. */
  roles: string[];
  /** Seconds since the epoch. */
  exp: number;
}

export type PlaybackTokenRefusal = 'expired' | 'forged' | 'malformed';

export type VerifiedPlaybackToken = { ok: true; claims: PlaybackClaims } | { ok: false; refusal: PlaybackTokenRefusal };

/** The signing secret, derived from MEDIA_MASTER_KEY so no new secret has to be deployed. */
export function playbackTokenSecret(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'playback-token-v1', 32));
}

function mac(body: string, secret: Buffer): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

export function signPlaybackToken(claims: PlaybackClaims, secret: Buffer): string {
  const body = Buffer.from(JSON.stringify({ recordingId: claims.recordingId, personId: claims.personId, roles: claims.roles, exp: claims.exp })).toString('base64url');
  return `${body}.${mac(body, secret).toString('base64url')}`;
}

const B64URL = /^[A-Za-z0-9_-]+$/;

/** The signature is checked before anything in the claims is believed. */
export function verifyPlaybackToken(token: string, secret: Buffer, now: Date): VerifiedPlaybackToken {
  const parts = token.split('.');
  if (parts.length !== 2 || !B64URL.test(parts[0]) || !B64URL.test(parts[1]) || token.length > 2048) return { ok: false, refusal: 'malformed' };
  const given = Buffer.from(parts[1], 'base64url');
  const expected = mac(parts[0], secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, refusal: 'forged' };
  let claims: Partial<PlaybackClaims>;
  try {
    claims = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  } catch {
    return { ok: false, refusal: 'malformed' };
  }
  const wellFormed =
    typeof claims?.recordingId === 'string' &&
    typeof claims.personId === 'string' &&
    Array.isArray(claims.roles) &&
    claims.roles.every((r) => typeof r === 'string') &&
    typeof claims.exp === 'number';
  if (!wellFormed) return { ok: false, refusal: 'malformed' };
  if (claims.exp! * 1000 <= now.getTime()) return { ok: false, refusal: 'expired' };
  return { ok: true, claims: claims as PlaybackClaims };
}
