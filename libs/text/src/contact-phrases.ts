import type { ContactCandidate } from './contact-candidate';

/**
 * Moving a learner off the platform (POLICIES §5), as the attempt itself. The span is the phrase;
 * a number, handle or email that follows it is a detail of its own.
 *   reach me on <platform>   "add me on snapchat", "message me on whatsapp", "hit me up on insta", "hmu on ig"
 *   let's move to <platform> "let's talk on discord", "we can chat over facetime", "can we continue on telegram"
 *   contact verbs + me       "text me", "dm me", "email me", "snap me", "facetime me"
 *   call me at <number>      only when a phone number or three spoken digits follow: "call me when you
 *                            finish the problem", "call me at 5pm" and "call me at one o'clock" are not
 *   asking for a detail      "what's your snapchat", "send me your email", "can I have your phone number"
 * "your number" alone is not asked for: "what's your number?" is how a maths game goes. "add me on"
 * needs a platform after it, so "I will add more on the next slide" is ordinary talk.
 */
const PLATFORM = String.raw`(?:snap(?:chat)?|insta(?:gram)?|ig|tik ?tok|discord|telegram|whats ?app|signal|messenger|facebook|fb|twitter|kik|skype|face ?time|imessage|wechat|viber|roblox|xbox|psn|steam|google meet|hangouts|(?:microsoft )?teams|minecraft|fortnite|gmail|e-?mail|text|sms|my (?:personal )?(?:phone|cell|mobile|number|email|e-mail))\b`;
const APOSTROPHE = "['\u2019]";
const SPOKEN_DIGIT = String.raw`(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b`;

const ME = /\bme\b/i;
const PLATFORM_WORD = new RegExp(String.raw`\b${PLATFORM}`, 'i');

/** Each phrase after a cheap test for a word it cannot do without, so most lines cost a quick scan. */
const PHRASES: ReadonlyArray<readonly [needle: RegExp, phrase: RegExp]> = [
  [
    ME,
    new RegExp(
      String.raw`\b(?:add|follow|find|message|msg|dm|pm|text|call|ring|hit|contact|reach|ping|chat with|talk to|face ?time|video ?call)\s+me(?:\s+up)?\s+(?:on|at|via|over|through|thru)\s+${PLATFORM}`,
      'gi',
    ),
  ],
  [/hmu/i, new RegExp(String.raw`\bhmu\s+(?:on|at|via)\s+${PLATFORM}`, 'gi')],
  [
    PLATFORM_WORD,
    new RegExp(
      String.raw`\b(?:let${APOSTROPHE}?s|let us|we can|we could|can we|could we|shall we|i can|i could|you can|you could|we should|why don${APOSTROPHE}?t we)\s+` +
        String.raw`(?:talk|chat|speak|continue|meet|message|text|video ?call|call|face ?time|hang ?out|connect|move|switch|go)(?:\s+(?:more|later|privately|instead|this))?` +
        String.raw`\s+(?:on|over|via|through|in|to)\s+${PLATFORM}`,
      'gi',
    ),
  ],
  [ME, /\b(?:text|txt|dm|pm|snap|whats ?app|face ?time|imessage|e-?mail)\s+me\b/gi],
  [ME, new RegExp(String.raw`\bcall\s+me\s+(?:at|on)\b(?=\s*(?:\+?\(?\d[\d \t().-]{5}|(?:${SPOKEN_DIGIT}[\s,]*){3}|my\b|this number))`, 'gi')],
  [
    /\byour\b/i,
    new RegExp(
      String.raw`\b(?:what${APOSTROPHE}?s|what is|send me|give me|can i (?:have|get)|could i (?:have|get)|drop|share)\s+your\s+` +
        String.raw`(?:(?:phone|cell|mobile|whats ?app)(?: number)?|e-?mail(?: address)?|home address|snap(?:chat)?|insta(?:gram)?|ig|tik ?tok|discord|telegram|kik|handle|username)\b`,
      'gi',
    ),
  ],
];

export function findOffPlatformPhrases(text: string): ContactCandidate[] {
  const out: ContactCandidate[] = [];
  const passed = new Map<RegExp, boolean>();
  for (const [needle, phrase] of PHRASES) {
    if (!passed.has(needle)) passed.set(needle, needle.test(text));
    if (!passed.get(needle)) continue;
    for (const m of text.matchAll(phrase)) out.push({ kind: 'off_platform', start: m.index, end: m.index + m[0].length });
  }
  return out;
}
