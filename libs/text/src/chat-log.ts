import { CHAT_CLIENT_LINE, CHAT_CLOUD_LINE, CHAT_DIRECT_SUFFIX, CHAT_STAMP } from './chat-log-lines';
import { parseClockTime } from './clock-time';
import { ChatLogMalformed } from './text-errors';

/**
 * Zoom's meeting chat log (ZOOM.md "File formats"). Two line formats start a message:
 *   cloud recordings   `HH:MM:SS<TAB>Display Name:<TAB>text`
 *   newer clients      `HH:MM:SS From Display Name to Everyone: text`
 *                      `HH:MM:SS From Display Name to Display Name(Direct Message): text`
 * Any other line continues the message above it (newer clients put the text itself on the next,
 * tab-indented line). The times count from the start of the recorded session.
 */
export type ChatMessageKind = 'message' | 'reaction' | 'reply';

export interface ChatMessage {
  /** 1-based line number where the message starts. */
  line: number;
  offsetSeconds: number;
  sender: string;
  /** The recipient of a direct message; null for a message to everyone. */
  recipient: string | null;
  direct: boolean;
  /** `Reacted to …` and `Replying to …` lines from newer clients are told apart from plain messages. */
  kind: ChatMessageKind;
  /** The message, continuation lines joined with "\n". */
  text: string;
}

export function parseChatLog(source: string): ChatMessage[] {
  const lines = source.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const messages: ChatMessage[] = [];
  const body: string[][] = [];
  lines.forEach((text, i) => {
    const lineNo = i + 1;
    if (CHAT_STAMP.test(text)) {
      messages.push(readMessageLine(text, lineNo));
      body.push([messages[messages.length - 1].text]);
      return;
    }
    if (messages.length === 0) {
      if (text.trim() === '') return;
      throw new ChatLogMalformed(lineNo, 'text before the first timestamped message');
    }
    body[body.length - 1].push(text.replace(/^\t/, ''));
  });
  if (messages.length === 0) throw new ChatLogMalformed(lines.length, 'the chat log has no messages');
  messages.forEach((m, i) => {
    m.text = body[i].join('\n').replace(/^\n+|\s+$/g, '');
    m.kind = kindOf(m.text);
    const previous = messages[i - 1];
    if (previous && m.offsetSeconds < previous.offsetSeconds) {
      throw new ChatLogMalformed(m.line, 'the message is timed before the previous message');
    }
  });
  return messages;
}

function readMessageLine(text: string, line: number): ChatMessage {
  const client = CHAT_CLIENT_LINE.exec(text);
  if (client) {
    const [, stamp, sender, to, rest] = client;
    const direct = CHAT_DIRECT_SUFFIX.test(to) || to.trim().toLowerCase() !== 'everyone';
    const recipient = direct ? to.replace(CHAT_DIRECT_SUFFIX, '').trim() : null;
    return message(line, stamp, sender, recipient, rest ?? '');
  }
  const cloud = CHAT_CLOUD_LINE.exec(text);
  if (cloud) return message(line, cloud[1], cloud[2], null, cloud[3]);
  throw new ChatLogMalformed(line, 'a timestamped line in neither Zoom chat format');
}

function message(line: number, stamp: string, sender: string, recipient: string | null, text: string): ChatMessage {
  const offsetSeconds = parseClockTime(stamp, { millis: 'optional' });
  if (offsetSeconds === null) throw new ChatLogMalformed(line, 'the timestamp is not HH:MM:SS');
  if (sender.trim() === '') throw new ChatLogMalformed(line, 'the message has no sender');
  if (recipient === '') throw new ChatLogMalformed(line, 'the direct message has no recipient');
  return { line, offsetSeconds, sender: sender.trim(), recipient, direct: recipient !== null, kind: 'message', text };
}

function kindOf(text: string): ChatMessageKind {
  if (/^Reacted to /.test(text)) return 'reaction';
  if (/^Replying to /.test(text)) return 'reply';
  return 'message';
}
