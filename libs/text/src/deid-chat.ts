import { CHAT_CLIENT_LINE, CHAT_CLOUD_LINE, CHAT_DIRECT_SUFFIX } from './chat-log-lines';
import { parseChatLog } from './chat-log';
import { DeidEdit, fileLines, shiftClock, textEdits } from './deid-edits';
import type { DeidContext } from './deid-spans';
import { labelOf } from './deid-transcript';

/**
 * A Zoom chat log, line for line: each message's time moved to the session start, its sender and
 * the recipient of a direct message replaced by their labels ("Everyone" stays), the message and
 * its continuation lines de-identified ("Reacted to …" and "Replying to …" quote a message, and
 * are de-identified like one). Parsed first, so a malformed log fails with the line named
 * (ChatLogMalformed) and is never half de-identified.
 */
export function chatEdits(chat: string, ctx: DeidContext, offsetSeconds: number): DeidEdit[] {
  parseChatLog(chat);
  const edits: DeidEdit[] = [];
  const bom = chat.startsWith('\uFEFF') ? 1 : 0;
  for (const [n, { text: raw, start: rawStart }] of fileLines(chat).entries()) {
    const skip = n === 0 ? bom : 0;
    const text = raw.slice(skip);
    const start = rawStart + skip;
    const client = CHAT_CLIENT_LINE.exec(text);
    const cloud = client ? null : CHAT_CLOUD_LINE.exec(text);
    if (!client && !cloud) {
      edits.push(...textEdits(text, start, ctx));
      continue;
    }
    const stamp = (client ?? cloud)![1];
    edits.push({ start, end: start + stamp.length, replacement: shiftClock(stamp, offsetSeconds, false) });
    if (cloud) {
      const senderAt = stamp.length + 1;
      edits.push({ start: start + senderAt, end: start + senderAt + cloud[2].length, replacement: labelOf(cloud[2], ctx) });
      const textAt = senderAt + cloud[2].length + 2;
      edits.push(...textEdits(text.slice(textAt), start + textAt, ctx));
      continue;
    }
    const [, , sender, to] = client!;
    const senderAt = stamp.length + ' From '.length;
    edits.push({ start: start + senderAt, end: start + senderAt + sender.length, replacement: labelOf(sender, ctx) });
    const toAt = senderAt + sender.length + ' to '.length;
    const recipient = to.replace(CHAT_DIRECT_SUFFIX, '');
    if (recipient.trim().toLowerCase() !== 'everyone') {
      edits.push({ start: start + toAt, end: start + toAt + recipient.length, replacement: labelOf(recipient, ctx) });
    }
    const textAt = toAt + to.length + 1;
    edits.push(...textEdits(text.slice(textAt), start + textAt, ctx));
  }
  return edits;
}
