import { ChatMessage, matchRosterName, parseChatLog, parseWebVtt, RosterName, TranscriptCue } from '@lib/text';

/**
 * Leaving a non-consenting person out of a session's text (issue 14 item 3): their cues and their
 * messages are removed before de-identification. So are lines whose speaker matches nobody on the
 * roster — we cannot show that such a speaker consented, and a leak is the worst failure here.
 * The result is a well-formed file of the same kind.
 */
export interface FilteredText {
  text: string;
  kept: number;
  removed: number;
}

export function transcriptOf(vtt: string, roster: readonly RosterName[], included: ReadonlySet<string>): FilteredText {
  const cues = parseWebVtt(vtt);
  const keep = cues.filter((c) => speaks(c.speakerLabel, roster, included));
  return { text: renderVtt(keep), kept: keep.length, removed: cues.length - keep.length };
}

export function chatOf(chat: string, roster: readonly RosterName[], included: ReadonlySet<string>): FilteredText {
  const messages = parseChatLog(chat);
  const keep = messages.filter((m) => speaks(m.sender, roster, included));
  return { text: renderChat(keep), kept: keep.length, removed: messages.length - keep.length };
}

function speaks(label: string | null, roster: readonly RosterName[], included: ReadonlySet<string>): boolean {
  const person = label === null ? null : matchRosterName(label, roster);
  return person !== null && included.has(person.personId);
}

function clock(seconds: number, millis: boolean): string {
  const ms = Math.round(seconds * 1000);
  const hms = [Math.floor(ms / 3_600_000), Math.floor(ms / 60_000) % 60, Math.floor(ms / 1000) % 60].map((n) => String(n).padStart(2, '0')).join(':');
  return millis ? `${hms}.${String(ms % 1000).padStart(3, '0')}` : hms;
}

export function renderVtt(cues: readonly TranscriptCue[]): string {
  const blocks = cues.map((c, i) => `${i + 1}\n${clock(c.startSeconds, true)} --> ${clock(c.endSeconds, true)}\n${c.speakerLabel ?? ''}: ${c.text}`);
  return `WEBVTT\n\n${blocks.join('\n\n')}\n`;
}

/** The newer clients' format: it carries direct messages; continuation lines are tab-indented. */
export function renderChat(messages: readonly ChatMessage[]): string {
  const lines = messages.map((m) => {
    const to = m.recipient === null ? 'Everyone' : `${m.recipient}(Direct Message)`;
    const [first, ...rest] = m.text.split('\n');
    return [`${clock(m.offsetSeconds, false)} From ${m.sender} to ${to}: ${first}`, ...rest.map((r) => `\t${r}`)].join('\n');
  });
  return lines.length ? `${lines.join('\n')}\n` : '';
}
