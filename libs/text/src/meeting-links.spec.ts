import { isMeetingOrChatLink, linkHost } from './meeting-links';

describe('links that move a learner off the platform', () => {
  it.each(['https://meet.google.com/abc-defg-hij', 'discord.gg/xyz', 'https://us02web.zoom.us/j/81234567890?pwd=x', 'wa.me/447700900123', 'https://t.me/jane', 'www.instagram.com/jane'])(
    'counts %s',
    (link) => expect(isMeetingOrChatLink(link)).toBe(true),
  );

  it.each(['https://www.desmos.com/calculator', 'khanacademy.org/math', 'https://example.org/worksheets/3', 'https://notzoom.us.example.com/x', 'https://zoom.us.evil.org/j/1'])(
    'leaves the ordinary link %s alone',
    (link) => expect(isMeetingOrChatLink(link)).toBe(false),
  );

  it('reads the host with or without a scheme, ignoring user info and port', () => {
    expect(linkHost('HTTPS://user@Meet.Google.com:443/x')).toBe('meet.google.com');
    expect(linkHost('discord.gg/abc')).toBe('discord.gg');
  });
});
