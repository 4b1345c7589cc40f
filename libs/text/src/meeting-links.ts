/**
 * POLICIES §5 "nor move learners off the platform": of the links in a message, the ones that lead to
 * another meeting, chat or social service are a safety signal. Ordinary web links (a worksheet, a
 * video, a calculator) are not contact details, however external: flagging them would bury the
 * safety team in homework. Research de-identification still replaces every link (`findContactDetails`).
 */
const SERVICES = [
  'zoom.us', 'zoom.com', 'meet.google.com', 'hangouts.google.com', 'teams.microsoft.com', 'teams.live.com', 'skype.com', 'join.skype.com',
  'webex.com', 'whereby.com', 'gotomeeting.com', 'jitsi.org', 'meet.jit.si', 'discord.gg', 'discord.com', 'discordapp.com',
  'wa.me', 'whatsapp.com', 'chat.whatsapp.com', 't.me', 'telegram.me', 'telegram.org', 'signal.me', 'signal.group', 'm.me', 'messenger.com',
  'facebook.com', 'fb.com', 'instagram.com', 'instagr.am', 'snapchat.com', 'tiktok.com', 'twitter.com', 'x.com', 'threads.net',
  'kik.me', 'line.me', 'wechat.com', 'viber.com', 'roblox.com', 'twitch.tv', 'reddit.com', 'omegle.com',
];

/** The host of a link as the detector found it (with or without a scheme), lower case. */
export function linkHost(link: string): string | null {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[^@/\s]*@)?([^/:?#\s]+)/i.exec(link.trim());
  return m ? m[1].toLowerCase().replace(/\.$/, '') : null;
}

/** True when the link leads to a meeting, chat or social service (or a subdomain of one). */
export function isMeetingOrChatLink(link: string): boolean {
  const host = linkHost(link);
  if (!host) return false;
  return SERVICES.some((s) => host === s || host.endsWith(`.${s}`));
}
