import type { ContactCandidate } from './contact-candidate';
import { namesMatch, normaliseName } from './name-match';

/**
 * Social media handles. The span is the handle alone ("my insta is [jane_doe]"), so de-identification
 * keeps the sentence around it.
 *   "@jane_doe"                         any @word starting with a letter or underscore, not glued to a
 *                                       word ("x@y", "@3pm" and "3 @ 4" are not handles), unless it
 *                                       names someone in the session (a Zoom chat mention, "@Sam")
 *   "my insta is jane_doe", "snap: jane" a platform, optionally "username/handle/…", then is/:/=/-
 *   "follow me on tiktok jane_doe"      after follow/add/find me on <platform> (and "its"), a word that looks like a
 *                                       handle (has _ . # or a digit); "add me on snap tonight" leaves
 *                                       "tonight" alone (the phrase itself is an off_platform detail)
 * Ordinary words after "is" ("my insta is private") are not handles. Sites a tutor recommends as
 * material (YouTube, Reddit) are not handle platforms: "youtube: Khan Academy" names a channel.
 */
const PLATFORM =
  'insta(?:gram)?|ig|snap(?:chat)?|tik ?tok|discord|telegram|twitter|facebook|fb|kik|twitch|roblox|xbox|psn|steam|threads';
const HANDLE = String.raw`@?[a-z_0-9][\w.#-]{0,31}`;
const AT_HANDLE = /(?<![\w.@+\-/])@[a-z_][\w.]{0,29}/gi;
const NAMED_HANDLE = new RegExp(
  String.raw`\b(?:${PLATFORM})(?:\s+(?:user ?name|handle|name|id|account|acc|tag))?\s*(?:\bis\b|[:=\-\u2013])\s*(${HANDLE})`,
  'gi',
);
const FOLLOWED_HANDLE = new RegExp(
  String.raw`\b(?:follow|add|find)\s+me\s+on\s+(?:${PLATFORM})\s*[:\-]?\s*(?:(?:it'?s|it\u2019s|is)\s+)?(${HANDLE})`,
  'gi',
);
const PLATFORM_WORD = new RegExp(String.raw`\b(?:${PLATFORM})`, 'i');
const MENTION_ALL = new Set(['everyone', 'all', 'here', 'channel', 'host']);
const ORDINARY_WORDS = new Set(
  ('is the a an not private public down broken blocked deleted banned new old same different locked open closed gone ' +
    'off on in my your just also really so very too still now there here what whats it and or but cool fun better ' +
    'please pls weird dead empty hacked full working because cause like this that kinda pretty way').split(' '),
);

export function findSocialHandles(text: string, mentionNames: readonly string[]): ContactCandidate[] {
  const out: ContactCandidate[] = [];
  if (text.includes('@')) {
    for (const m of text.matchAll(AT_HANDLE)) {
      const handle = m[0].replace(/\.+$/, '');
      if (isMention(handle.slice(1), mentionNames)) continue;
      out.push({ kind: 'social', start: m.index, end: m.index + handle.length });
    }
  }
  if (!PLATFORM_WORD.test(text)) return out;
  for (const [pattern, handleLike] of [
    [NAMED_HANDLE, (h: string) => !ORDINARY_WORDS.has(h.toLowerCase())],
    [FOLLOWED_HANDLE, (h: string) => /^@|[_.#\d]/.test(h)],
  ] as const) {
    for (const m of text.matchAll(pattern)) {
      const handle = m[1].replace(/[.-]+$/, '');
      if (handle.replace(/^@/, '') === '' || !handleLike(handle)) continue;
      const end = m.index + m[0].length - (m[1].length - handle.length);
      out.push({ kind: 'social', start: end - handle.length, end });
    }
  }
  return out;
}

/** "@Sam", "@Sam_Lee", "@everyone": Zoom chat naming a participant, not a handle. */
function isMention(handle: string, names: readonly string[]): boolean {
  const h = normaliseName(handle.replace(/[_.]/g, ' '));
  if (MENTION_ALL.has(h)) return true;
  return names.some((name) => {
    const n = normaliseName(name);
    return namesMatch(h, name) || n.split(' ')[0] === h || n.replace(/ /g, '') === h.replace(/ /g, '');
  });
}
