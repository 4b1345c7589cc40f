import { playbackTokenSecret, signPlaybackToken, verifyPlaybackToken } from './playback-token';

const secret = playbackTokenSecret(Buffer.alloc(32, 7));
const now = new Date('2026-11-05T09:00:00Z');
const exp = now.getTime() / 1000 + 300;
const claims = { recordingId: '11111111-1111-4111-8111-111111111111', personId: 'rev-1', roles: ['reviewer'], exp };

function swapClaims(token: string, change: Record<string, unknown>): string {
  const [body, sig] = token.split('.');
  const parsed = JSON.parse(Buffer.from(body, 'base64url').toString());
  return `${Buffer.from(JSON.stringify({ ...parsed, ...change })).toString('base64url')}.${sig}`;
}

describe('playback tokens', () => {
  it('verifies its own token and gives back every claim', () => {
    expect(verifyPlaybackToken(signPlaybackToken(claims, secret), secret, now)).toEqual({ ok: true, claims });
  });

  it('is URI-safe: one path segment', () => {
    expect(signPlaybackToken(claims, secret)).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('refuses an expired token at the second it expires', () => {
    expect(verifyPlaybackToken(signPlaybackToken(claims, secret), secret, new Date(exp * 1000))).toEqual({ ok: false, refusal: 'expired' });
  });

  it.each([
    ['another recording', { recordingId: '22222222-2222-4222-8222-222222222222' }],
    ['another person', { personId: 'rev-2' }],
    ['more roles', { roles: ['reviewer', 'admin'] }],
    ['a later expiry', { exp: exp + 3600 }],
  ])('refuses claims changed to %s under the old signature as forged', (_what, change) => {
    expect(verifyPlaybackToken(swapClaims(signPlaybackToken(claims, secret), change), secret, now)).toEqual({ ok: false, refusal: 'forged' });
  });

  it('refuses a changed signature and a token of another key as forged', () => {
    const token = signPlaybackToken(claims, secret);
    const flipped = token.slice(0, -2) + (token.endsWith('A') ? 'BA' : 'AA');
    expect(verifyPlaybackToken(flipped, secret, now)).toEqual({ ok: false, refusal: 'forged' });
    expect(verifyPlaybackToken(signPlaybackToken(claims, playbackTokenSecret(Buffer.alloc(32, 8))), secret, now)).toEqual({ ok: false, refusal: 'forged' });
  });

  it.each(['', 'abc', 'a.b.c', 'eyJ.!!', `${'a'.repeat(3000)}.b`])('refuses %j as malformed', (token) => {
    expect(verifyPlaybackToken(token, secret, now)).toEqual({ ok: false, refusal: 'malformed' });
  });

  it('refuses signed claims of the wrong shape as malformed', () => {
    const body = Buffer.from(JSON.stringify({ recordingId: 1 })).toString('base64url');
    const { createHmac } = jest.requireActual('node:crypto');
    const sig = createHmac('sha256', secret).update(body).digest('base64url');
    expect(verifyPlaybackToken(`${body}.${sig}`, secret, now)).toEqual({ ok: false, refusal: 'malformed' });
  });
});
