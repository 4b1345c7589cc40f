import type { NameLexicon } from './deid-lexicon';

/**
 * Links the contact detector leaves as words because their top-level domain is one too
 * ("kahoot.it", "bit.do", "about.me" is found already): here the name before the dot must be a
 * word the lexicon does not know, so "do.it", "go.to" and "that.is" stay text. A handle someone
 * gives in answer to "what's your insta?" is found the same way: a message that is one handle-like
 * word ("nevaeh.dances", "its tomk_2012").
 */
const WORD_TLD_LINK = /(?<![\w@.\-/])([a-z][a-z0-9-]{3,62})\.(?:it|in|is|to|be|at|so|do|go|my)(?:\/[^\s<>"'`]{0,200})?(?![\w.-])/gi;
const PLATFORM = String.raw`(?:insta(?:gram)?|ig|snap(?:chat)?|tik\s?tok|discord|twitter|roblox|xbox|psn|steam|fortnite|minecraft|scratch|github|handle|username|user|gamer\s?tag|@|acc(?:ount)?)(?:\s+(?:name|username|user|tag|id|handle))?`;
const ASKS_FOR_HANDLE = new RegExp(
  String.raw`\b(?:(?:what'?s|whats|what is|wats|send|give|drop|share)\s+(?:me\s+)?(?:ur|your|you'?re|yr)|(?:do|does)\s+(?:u|you|ya)\s+(?:have|got|use|play)\s+(?:an?\s+)?|(?:r|are)\s+(?:u|you|ya)\s+on)\s*${PLATFORM}\b`,
  'i',
);
const ASKS_FOR_CODE = /\b(?:what'?s|whats|what is|wats|send|give)\s+(?:me\s+)?(?:the|ur|your)\s+(?:pass\s?code|password|pwd|meeting\s+(?:id|code|number)|zoom\s+(?:id|code))\b/i;
const YES = String.raw`(?:(?:ya|yea|yeah|yes|yep|ye|sure|ok)[,!]?\s+)?`;
const ANSWERED_HANDLE = new RegExp(
  String.raw`^\s*${YES}(?:(?:it'?s|its|it is|mine'?s|mine is|add(?: me)?|follow(?: me)?)\s+)?(@?[a-z0-9_][\w.#]{2,29})\s*[!.]?(?:\s+(?:add me|follow me|lol|pls|plz|thx|ty))?\s*$`,
  'i',
);
const ANSWERED_CODE = /^\s*(?:(?:it'?s|its|it is|the (?:passcode|password|code|id) is)\s+)?([a-z0-9!@#$%^&*_-]{4,16}|\d{3}[ -]?\d{3,4}[ -]?\d{3,4})\s*[!.]?(?=\s|$)/i;

export type AskedFor = 'handle' | 'code' | null;

/**
 * What a turn asks the next ones for: a social handle ("what's ur insta", "do u have discord", or
 * one given first: "my scratch username is …", to which others answer "mine is …"), or a meeting code.
 */
export function askedFor(text: string, namedAccounts: number): AskedFor {
  if (namedAccounts > 0 || ASKS_FOR_HANDLE.test(text)) return 'handle';
  if (ASKS_FOR_CODE.test(text)) return 'code';
  return null;
}

/** A meeting code given in answer ("It's circle5. Meeting ID …"): the first word, when it holds a digit. */
export function answeredCode(text: string): { start: number; end: number } | null {
  const m = ANSWERED_CODE.exec(text);
  if (!m || !/\d/.test(m[1])) return null;
  const start = m.index + m[0].indexOf(m[1]);
  return { start, end: start + m[1].length };
}

export interface LinkSpan {
  start: number;
  end: number;
}

export function findWordTldLinks(text: string, lexicon: NameLexicon): LinkSpan[] {
  if (!text.includes('.')) return [];
  const out: LinkSpan[] = [];
  for (const m of text.matchAll(WORD_TLD_LINK)) {
    if (lexicon.classify(m[1].toLowerCase()) !== undefined) continue;
    out.push({ start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** The handle a message gives in answer, when the whole message is one handle-like word. */
export function answeredHandle(text: string): LinkSpan | null {
  const m = ANSWERED_HANDLE.exec(text);
  const handle = m ? m[1].replace(/\.+$/, '') : '';
  if (!m || !/^@|[_.#\d]|[a-z][A-Z]/.test(handle)) return null;
  const start = m.index + m[0].indexOf(m[1]);
  return { start, end: start + handle.length };
}

/** "my gamer tag is MateusKing77", "my user is sunnyhee_draws", "his username: @dj_k": the handle itself. */
const NAMED_ACCOUNT =
  /\b(?:my|his|her|their|your|ur)\s+(?:[a-z]+\s+)?(?:user(?:\s?name)?|gamer\s?tag|gamertag|gt|ign|handle|tag|acc(?:ount)?|channel)\s*(?:is|:|=|-)\s*(@?[a-z0-9_][\w.#-]{2,31})/gi;

export function findNamedAccounts(text: string): LinkSpan[] {
  const out: LinkSpan[] = [];
  if (!/user|tag|gt|ign|handle|acc|channel/i.test(text)) return out;
  for (const m of text.matchAll(NAMED_ACCOUNT)) {
    const handle = m[1].replace(/[.-]+$/, '');
    if (!/^@|[_.#\d]|[a-z][A-Z]/.test(handle)) continue;
    const start = m.index + m[0].length - m[1].length;
    out.push({ start, end: start + handle.length });
  }
  return out;
}
