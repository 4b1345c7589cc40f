import { parseClockTime } from './clock-time';
import { TranscriptMalformed } from './text-errors';

/**
 * Zoom's audio transcript (WebVTT). CONTRACT "Talk-time definitions": a cue's speaker is the text
 * before the first `": "` on its first text line, or a `<v Name>` voice tag; a cue without one
 * continues the previous cue's speaker. Anything we cannot read is a TranscriptMalformed naming the
 * line, so talk time is never computed from half a file.
 */
export interface TranscriptCue {
  /** 1-based position of the cue in the file (Zoom's cue numbers count the same way). */
  index: number;
  startSeconds: number;
  endSeconds: number;
  /** The speaker as written in the file, or null when no cue so far has named one. */
  speakerLabel: string | null;
  /** What was said, without the speaker prefix or voice tags; lines joined with "\n". */
  text: string;
  /** 1-based line number of the cue's timing line. */
  line: number;
}

const TIMING = /^(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t]+.*)?$/;
const VOICE = /^<v(?:\.[^\s>]*)?[ \t]+([^>]+)>/;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&nbsp;': ' ' };

interface Block {
  firstLine: number;
  lines: string[];
}

export function parseWebVtt(source: string): TranscriptCue[] {
  const lines = source.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  if (!/^WEBVTT(?:[ \t].*)?$/.test(lines[0])) {
    throw new TranscriptMalformed(1, 'the file does not start with the WEBVTT header');
  }
  const cues: TranscriptCue[] = [];
  let speaker: string | null = null;
  // The header block runs to the first blank line; cues come after it.
  for (const block of blocks(lines).slice(1)) {
    if (/^(NOTE|STYLE|REGION)(?:[ \t]|$)/.test(block.lines[0])) continue;
    const cue = readCue(block, cues.length + 1, speaker);
    if (cue.startSeconds < (cues.at(-1)?.startSeconds ?? 0)) {
      throw new TranscriptMalformed(cue.line, 'the cue starts before the previous cue');
    }
    speaker = cue.speakerLabel;
    cues.push(cue);
  }
  if (cues.length === 0) throw new TranscriptMalformed(lines.length, 'the transcript has no cues');
  return cues;
}

function blocks(lines: string[]): Block[] {
  const out: Block[] = [];
  let current: Block | null = null;
  lines.forEach((text, i) => {
    if (text.trim() === '') {
      current = null;
      return;
    }
    if (current === null) {
      current = { firstLine: i + 1, lines: [] };
      out.push(current);
    }
    current.lines.push(text);
  });
  if (out.length === 0) out.push({ firstLine: 1, lines: [] });
  return out;
}

function readCue(block: Block, index: number, previousSpeaker: string | null): TranscriptCue {
  // An optional identifier (Zoom writes the cue number) comes before the timing line.
  const timingAt = block.lines[0].includes('-->') ? 0 : 1;
  const line = block.firstLine + timingAt;
  const timing = block.lines[timingAt];
  if (timing === undefined || !timing.includes('-->')) {
    throw new TranscriptMalformed(line, 'expected a cue timing line "start --> end"');
  }
  const m = TIMING.exec(timing.trim());
  const start = m ? parseClockTime(m[1], { millis: 'required' }) : null;
  const end = m ? parseClockTime(m[2], { millis: 'required' }) : null;
  if (start === null || end === null) {
    throw new TranscriptMalformed(line, 'the cue timing is not "hh:mm:ss.mmm --> hh:mm:ss.mmm"');
  }
  if (end < start) throw new TranscriptMalformed(line, 'the cue ends before it starts');
  const textLines = block.lines.slice(timingAt + 1);
  const stray = textLines.findIndex((t) => t.includes('-->'));
  if (stray >= 0) {
    throw new TranscriptMalformed(line + 1 + stray, 'a cue timing line inside cue text (missing blank line?)');
  }
  const { label, rest } = speakerOf(textLines[0] ?? '');
  const text = [rest, ...textLines.slice(1)].map(cleanText).join('\n').trim();
  return { index, startSeconds: start, endSeconds: end, speakerLabel: label ?? previousSpeaker, text, line };
}

function speakerOf(first: string): { label: string | null; rest: string } {
  const voice = VOICE.exec(first);
  if (voice) return { label: voice[1].trim() || null, rest: first.slice(voice[0].length) };
  const colon = first.indexOf(': ');
  if (colon > 0) return { label: first.slice(0, colon).trim() || null, rest: first.slice(colon + 2) };
  return { label: null, rest: first };
}

function cleanText(text: string): string {
  return text
    .replace(/<\/?v(?:[.\s][^>]*)?>/g, '')
    .replace(/&(amp|lt|gt|nbsp);/g, (e) => ENTITIES[e])
    .trim();
}
