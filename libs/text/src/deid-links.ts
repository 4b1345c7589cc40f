import type { NameLexicon } from './deid-lexicon';

/**
 * Links the contact detector leaves as words because their top-level domain is one too
 * ("kahoot.it", "bit.do", "about.me" is found already): here the name before the dot must be a
 * word the lexicon does not know, so "do.it", "go.to" and "that.is" stay text. A handle someone
 * gives in answer to "what's your insta?" is found the same way: a message that is one handle-like
 * word ("nevaeh.dances", "its tomk_2012").
 */
const WORD_TLD_LINK = /(?<![\w@.\-/])([a-z][a-z0-9-]{3,62})\.(?:it|in|is|to|be|at|so|do|go|my)(?:\/[^\s<>"'`]{0,200})?(?![\w.-])/gi;
const ASKS_FOR_HANDLE =
  /\b(?:what'?s|whats|what is|wats|send|give|drop|share)\s+(?:me\s+)?(?:ur|your|you'?re|yr)\s+(?:insta(?:gram)?|ig|snap(?:chat)?|tik\s?tok|discord|twitter|handle|username|user|@|acc(?:ount)?)\b/i;
const ANSWERED_HANDLE = /^\s*(?:(?:it'?s|its|it is|mine'?s|mine is)\s+)?(@?[a-z0-9_][\w.]{2,29})\s*[!.]?\s*$/i;

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

export function asksForHandle(text: string): boolean {
  return ASKS_FOR_HANDLE.test(text);
}

/** The handle a message gives in answer, when the whole message is one handle-like word. */
export function answeredHandle(text: string): LinkSpan | null {
  const m = ANSWERED_HANDLE.exec(text);
  if (!m || !/^@|[_.\d]/.test(m[1])) return null;
  const handle = m[1].replace(/\.+$/, '');
  const start = m.index + m[0].indexOf(m[1]);
  return { start, end: start + handle.length };
}

/** "my gamer tag is MateusKing77", "my user is sunnyhee_draws", "his username: @dj_k": the handle itself. */
const NAMED_ACCOUNT =
  /\b(?:my|his|her|their|your|ur)\s+(?:user(?:\s?name)?|gamer\s?tag|gamertag|gt|ign|handle|tag|acc(?:ount)?|channel)\s*(?:is|:|=|-)\s*(@?[a-z0-9_][\w.#-]{2,31})/gi;

export function findNamedAccounts(text: string): LinkSpan[] {
  const out: LinkSpan[] = [];
  for (const m of text.matchAll(NAMED_ACCOUNT)) {
    const handle = m[1].replace(/[.-]+$/, '');
    if (!/^@|[_.#\d]|[a-z][A-Z]/.test(handle)) continue;
    const start = m.index + m[0].length - m[1].length;
    out.push({ start, end: start + handle.length });
  }
  return out;
}
