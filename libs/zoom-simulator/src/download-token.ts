import { createHmac, randomBytes } from 'node:crypto';

const SIGNING_KEY = randomBytes(32);

const b64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A download token shaped like Zoom's: an HS512 JWT with an `exp` claim. Only the fake host
 * reads it (to refuse expired tokens), so the signature key is a per-process random.
 */
export function fakeDownloadToken(opts: { nowSeconds?: number; ttlSeconds?: number; accountId?: string } = {}): string {
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  const header = b64url({ typ: 'JWT', alg: 'HS512' });
  const claims = b64url({
    iss: 'https://event.zoom.us',
    aud: 'https://oauth.zoom.us',
    accountId: opts.accountId ?? 'sim-account',
    mid: randomBytes(16).toString('base64'),
    iat: now,
    exp: now + (opts.ttlSeconds ?? 24 * 3600),
    jti: randomBytes(8).toString('hex'),
  });
  const signature = createHmac('sha512', SIGNING_KEY).update(`${header}.${claims}`).digest('base64url');
  return `${header}.${claims}.${signature}`;
}

/** The `exp` claim of a JWT-shaped token, or undefined when the token is opaque. */
export function tokenExpirySeconds(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp : undefined;
  } catch {
    return undefined;
  }
}
