import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, JWTPayload, jwtVerify, JWTVerifyGetKey, SignJWT } from 'jose';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { Clock } from '@lib/clock';
import { Principal, Role, rolesFromClaim } from './principal';
import { tokenLifetimeProblem } from './token-lifetime';

export class InvalidToken extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidToken';
  }
}

/**
 * Verifies bearer tokens: HS256 with AUTH_JWT_SECRET, or keys from AUTH_JWKS_URL (https only,
 * checked by the config); then their lifetime (`tokenLifetimeProblem`).
 */
@Injectable()
export class TokenVerifier {
  private readonly jwks?: JWTVerifyGetKey;
  private readonly secret?: Uint8Array;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    if (config.auth.jwksUrl) this.jwks = createRemoteJWKSet(new URL(config.auth.jwksUrl));
    else if (config.auth.jwtSecret) this.secret = new TextEncoder().encode(config.auth.jwtSecret);
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      const options = {
        issuer: this.config.auth.issuer,
        audience: this.config.auth.audience,
        currentDate: this.clock.now(),
        algorithms: this.jwks ? undefined : ['HS256'],
      };
      const result = this.jwks ? await jwtVerify(token, this.jwks, options) : await jwtVerify(token, this.secret!, options);
      payload = result.payload;
    } catch (error) {
      throw new InvalidToken((error as { code?: string }).code ?? 'invalid token');
    }
    const lifetime = tokenLifetimeProblem(payload, Math.floor(this.clock.now().getTime() / 1000), this.config.auth.maxTokenAgeSeconds);
    if (lifetime) throw new InvalidToken(lifetime);
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new InvalidToken('token has no subject');
    return { personId: payload.sub, roles: rolesFromClaim(payload.roles) };
  }
}

/** A dev token signed with the configured HS256 secret (the CLI's `token` command, tests). */
export async function signDevToken(
  secret: string,
  claims: { sub: string; roles: Role[] | string[]; ttlSeconds: number; now?: Date },
): Promise<string> {
  const now = Math.floor((claims.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ roles: claims.roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + claims.ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}

/** `1h`, `30m`, `45s`, `2d` or plain seconds. */
export function parseTtl(ttl: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(ttl.trim());
  if (!match) throw new Error(`--ttl must look like 1h, 30m, 45s or 2d (got "${ttl}")`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
