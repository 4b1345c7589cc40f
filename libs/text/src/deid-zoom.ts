import { FUNCTION_WORDS } from './deid-lexicon';
import { linkHost } from './meeting-links';

/**
 * Zoom meeting details, which lead straight back to a session and its people:
 *   meeting ids     9–11 digits after a meeting word ("meeting ID 812 3456 7890", "join 81234567890",
 *                   "zoom id is 812-345-6789", the digits read aloud too), and Zoom's own 3-4-4
 *                   grouping anywhere ("812 3456 7890"; a number starting with 0 is a UK phone)
 *   passcodes       the code after "passcode", "password", "pwd", "access code", "pin is"
 *                   ("passcode 4kT9zq", "the password is: tiger22"), not "the passcode is in the invite"
 *   links           join links, personal-room links and any other link to zoom.us / zoom.com
 * Phone numbers that follow a meeting word become meeting ids: a Zoom id often has a phone's shape.
 */
const MEETING_WORD = /\b(?:zoom|meeting|mtg|webinar|conference|join|room)\b(?:\s+(?:id|number|no\.?|code|#))?|\bID\b|\bid\s*(?:is|:|#)/i;
const DIGIT_RUN = /(?<![\w$£€¥.,/+-])\d{3}[ .-]?\d{3,4}[ .-]?\d{3,4}(?![\w]|[.,]\d)/g;
const ZOOM_GROUPING = /^[2-9]\d{2} \d{4} \d{4}$/;
const PASSCODE =
  /\b(?:pass\s?code|password|passwd|pwd|access code|meeting code|pin)\b(?:\s+(?:is|was))?(\s*[:=]\s*|\s+)([^\s,;"'<>()]{3,32})/gi;
const NOT_A_CODE = new Set(
  'same below above correct wrong required needed sent attached disabled protected changed expired there here for please ok okay'.split(' '),
);
const ZOOM_HOSTS = ['zoom.us', 'zoom.com', 'zoomgov.com'];

export interface ZoomSpan {
  start: number;
  end: number;
}

export function isZoomLink(link: string): boolean {
  const host = linkHost(link.replace(/\s+dot\s+/gi, '.').replace(/\s+slash\s+/gi, '/'));
  return host !== null && ZOOM_HOSTS.some((h) => host === h || host.endsWith(`.${h}`));
}

/** Meeting ids written with digits, and passcodes. */
export function findZoomDetails(text: string): ZoomSpan[] {
  const out: ZoomSpan[] = [];
  if (/\d/.test(text)) {
    for (const m of text.matchAll(DIGIT_RUN)) {
      const digits = m[0].replace(/\D/g, '').length;
      if (digits < 9 || digits > 11) continue;
      if (ZOOM_GROUPING.test(m[0]) || followsMeetingWord(text, m.index)) out.push({ start: m.index, end: m.index + m[0].length });
    }
  }
  if (/pass|pwd|code|pin/i.test(text)) {
    for (const m of text.matchAll(PASSCODE)) {
      const code = m[2].replace(/[.!?:]+$/, '');
      const spelledWithSeparator = /[:=]/.test(m[1]);
      if (code.length < 3 || NOT_A_CODE.has(code.toLowerCase()) || FUNCTION_WORDS.has(code.toLowerCase())) continue;
      if (!spelledWithSeparator && !/\d/.test(code) && !/\b(?:is|was)\s+$/i.test(m[0].slice(0, m[0].length - m[2].length))) continue;
      const start = m.index + m[0].length - m[2].length;
      out.push({ start, end: start + code.length });
    }
  }
  return out;
}

/** A number after a meeting word is a meeting id, even in a phone's shape ("zoom id 812 345 6789"). */
export function followsMeetingWord(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 40), start);
  return MEETING_WORD.test(before.slice(before.search(/[^.!?]*$/)));
}
