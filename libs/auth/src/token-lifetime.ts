/**
 * Whether a verified token's times are acceptable, as a pure rule (CONTRACT "Tokens"): it must
 * carry `exp`, and its lifetime — from `iat` when it has one, else from now — may not exceed the
 * configured maximum, so a leaked token cannot be minted to live for years.
 */
export interface TokenTimes {
  exp?: unknown;
  iat?: unknown;
}

/** Clocks of issuers and of this service differ a little; a minute of slack for `iat`. */
const CLOCK_SKEW_SECONDS = 60;

export function tokenLifetimeProblem(claims: TokenTimes, nowSeconds: number, maxAgeSeconds: number): string | null {
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) return 'token has no expiry (exp)';
  if (claims.iat !== undefined) {
    if (typeof claims.iat !== 'number' || !Number.isFinite(claims.iat)) return 'token has a malformed iat';
    if (claims.iat > nowSeconds + CLOCK_SKEW_SECONDS) return 'token is issued in the future';
  }
  const from = typeof claims.iat === 'number' ? claims.iat : nowSeconds;
  if (claims.exp - from > maxAgeSeconds) return `token lives longer than the ${maxAgeSeconds} s allowed`;
  return null;
}
