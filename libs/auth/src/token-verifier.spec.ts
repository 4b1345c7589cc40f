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

  it('parses token lifetimes', () => {
    expect(parseTtl('1h')).toBe(3600);
    expect(parseTtl('90')).toBe(90);
    expect(() => parseTtl('soon')).toThrow('--ttl');
  });
});
