import { SignJWT } from 'jose';
import { FixedClock } from '@lib/clock';
import { loadConfig } from '@lib/config';
import { parseTtl, signDevToken, TokenVerifier } from './token-verifier';

describe('TokenVerifier', () => {
  const config = loadConfig({ AUTH_JWT_SECRET: 'test-secret' });
  const clock = new FixedClock(new Date('2026-11-02T15:00:00Z'));
  const verifier = new TokenVerifier(config, clock);

  it('accepts a token signed with the secret and keeps only known roles', async () => {
    const token = await signDevToken('test-secret', { sub: 'p1', roles: ['reviewer', 'superuser'], ttlSeconds: 60, now: clock.now() });
    await expect(verifier.verify(token)).resolves.toEqual({ personId: 'p1', roles: ['reviewer'] });
  });

  it('refuses a token signed with another secret', async () => {
    const token = await signDevToken('other', { sub: 'p1', roles: ['admin'], ttlSeconds: 60, now: clock.now() });
    await expect(verifier.verify(token)).rejects.toThrow('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  it('refuses an expired token', async () => {
    const token = await signDevToken('test-secret', { sub: 'p1', roles: ['admin'], ttlSeconds: 60, now: new Date('2026-11-02T14:00:00Z') });
    await expect(verifier.verify(token)).rejects.toThrow('ERR_JWT_EXPIRED');
  });

  it('checks the audience only when AUTH_AUDIENCE is set', async () => {
    const strict = new TokenVerifier(loadConfig({ AUTH_JWT_SECRET: 'test-secret', AUTH_AUDIENCE: 'recordings' }), clock);
    const token = await signDevToken('test-secret', { sub: 'p1', roles: ['admin'], ttlSeconds: 60, now: clock.now() });
    await expect(strict.verify(token)).rejects.toThrow('ERR_JWT_CLAIM_VALIDATION_FAILED');
  });

  const sign = (claims: Record<string, unknown>) =>
    new SignJWT({ roles: ['admin'], ...claims }).setProtectedHeader({ alg: 'HS256' }).setSubject('p1').sign(new TextEncoder().encode('test-secret'));
  const nowSeconds = Math.floor(clock.now().getTime() / 1000);

  it('refuses a correctly signed token without exp', async () => {
    await expect(verifier.verify(await sign({ iat: nowSeconds }))).rejects.toThrow('token has no expiry (exp)');
  });

  it('refuses a token living longer than AUTH_MAX_TOKEN_AGE_SECONDS', async () => {
    const strict = new TokenVerifier(loadConfig({ AUTH_JWT_SECRET: 'test-secret', AUTH_MAX_TOKEN_AGE_SECONDS: '3600' }), clock);
    await expect(strict.verify(await sign({ iat: nowSeconds, exp: nowSeconds + 7200 }))).rejects.toThrow('longer than the 3600 s');
    await expect(strict.verify(await sign({ exp: nowSeconds + 7200 }))).rejects.toThrow('longer than the 3600 s');
    await expect(strict.verify(await sign({ iat: nowSeconds, exp: nowSeconds + 3600 }))).resolves.toMatchObject({ personId: 'p1' });
  });

  it('accepts what the CLI token command signs with its default and quickstart lifetimes', async () => {
    for (const ttl of ['1h', '12h']) {
      const token = await signDevToken('test-secret', { sub: 'p1', roles: ['admin'], ttlSeconds: parseTtl(ttl), now: clock.now() });
      await expect(verifier.verify(token)).resolves.toMatchObject({ personId: 'p1' });
    }
  });

  it('parses token lifetimes', () => {
    expect(parseTtl('1h')).toBe(3600);
    expect(parseTtl('90')).toBe(90);
    expect(() => parseTtl('soon')).toThrow('--ttl');
  });
});
