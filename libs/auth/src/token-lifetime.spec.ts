import { tokenLifetimeProblem } from './token-lifetime';

describe('token lifetime rule', () => {
  const now = 1_800_000_000;
  const day = 86_400;

  it('refuses a token without exp', () => {
    expect(tokenLifetimeProblem({ iat: now }, now, day)).toBe('token has no expiry (exp)');
    expect(tokenLifetimeProblem({ exp: 'tomorrow' }, now, day)).toBe('token has no expiry (exp)');
  });

  it('accepts a token living exactly the maximum from its iat', () => {
    expect(tokenLifetimeProblem({ iat: now - 10, exp: now - 10 + day }, now, day)).toBeNull();
  });

  it('refuses a token whose exp − iat exceeds the maximum, even when it expires soon', () => {
    expect(tokenLifetimeProblem({ iat: now - 2 * day, exp: now + 60 }, now, day)).toMatch(/longer than the 86400 s/);
  });

  it('measures from now when the token has no iat', () => {
    expect(tokenLifetimeProblem({ exp: now + day }, now, day)).toBeNull();
    expect(tokenLifetimeProblem({ exp: now + day + 1 }, now, day)).toMatch(/longer than/);
  });

  it('refuses an iat in the future beyond a minute of clock skew', () => {
    expect(tokenLifetimeProblem({ iat: now + 30, exp: now + 90 }, now, day)).toBeNull();
    expect(tokenLifetimeProblem({ iat: now + 600, exp: now + 700 }, now, day)).toBe('token is issued in the future');
  });

  it('refuses a malformed iat', () => {
    expect(tokenLifetimeProblem({ iat: 'yesterday', exp: now + 60 }, now, day)).toBe('token has a malformed iat');
  });
});
