import { encodeMeetingUuid, tokenExpiry } from './zoom-client';

describe('Zoom API helpers', () => {
  it('encodes an ordinary meeting UUID once', () => {
    expect(encodeMeetingUuid('4444AAAiAAAAAiAiAiiAii==')).toBe('4444AAAiAAAAAiAiAiiAii%3D%3D');
  });
  it('encodes a UUID starting with / twice', () => {
    expect(encodeMeetingUuid('/ajXp112QmuoKj4854875==')).toBe('%252FajXp112QmuoKj4854875%253D%253D');
  });
  it('encodes a UUID containing // twice', () => {
    expect(encodeMeetingUuid('ab//cd==')).toBe('ab%252F%252Fcd%253D%253D');
  });
  it('reads the expiry of a JWT download token and nothing from an opaque one', () => {
    const jwt = ['e30', Buffer.from(JSON.stringify({ exp: 1764000000 })).toString('base64url'), 'sig'].join('.');
    expect(tokenExpiry(jwt)).toBe(1764000000);
    expect(tokenExpiry('opaque-token')).toBeNull();
  });
});
