import { DeidEdit, fileLines, shiftClock, textEdits } from './deid-edits';
import { personOfLabel } from './deid-roster';
import type { DeidContext } from './deid-spans';
import { parseWebVtt } from './webvtt';

/**
 * A WebVTT transcript, line for line: the header, NOTE blocks and cue text de-identified, the
 * speaker of each cue (`Name: ` on its first text line, `<v Name>` anywhere) replaced by its
 * label, cue timings moved to the session start. STYLE and REGION blocks are left as they are.
 * The file is parsed first, so a malformed one fails with the line named (TranscriptMalformed)
 * and is never half de-identified.
 */
const TIMING = /^(\s*)(\S+)([ \t]+-->[ \t]+)(\S+)/;
const VOICE = /<v(\.[^\s>]*)?([ \t]+)([^>]+)>/g;

export function transcriptEdits(vtt: string, ctx: DeidContext, offsetSeconds: number): DeidEdit[] {
  parseWebVtt(vtt);
  const lines = fileLines(vtt);
  const edits: DeidEdit[] = [];
  const bom = vtt.startsWith('\uFEFF') ? 1 : 0;
  edits.push(...textEdits(lines[0].text.slice(bom + 6), lines[0].start + bom + 6, ctx));
  let block: 'none' | 'cue' | 'note' | 'style' = 'none';
  let firstTextLine = false;
  for (let n = 1; n < lines.length; n += 1) {
    const { text, start } = lines[n];
    if (text.trim() === '') {
      block = 'none';
      continue;
    }
    if (block === 'none') {
      if (/^(STYLE|REGION)(?:[ \t]|$)/.test(text)) block = 'style';
      else if (/^NOTE(?:[ \t]|$)/.test(text)) block = 'note';
      else block = 'cue';
    }
    if (block === 'style') continue;
    const timing = text.includes('-->') ? TIMING.exec(text) : null;
    if (block === 'cue' && timing) {
      edits.push(...timingEdits(timing, start, offsetSeconds));
      firstTextLine = true;
      continue;
    }
    if (block === 'cue' && /^\d+$/.test(text.trim())) continue;
    edits.push(...cueLineEdits(text, start, ctx, firstTextLine && block === 'cue'));
    firstTextLine = false;
  }
  return edits;
}

function timingEdits(m: RegExpExecArray, lineStart: number, offsetSeconds: number): DeidEdit[] {
  const [, lead, from, arrow, to] = m;
  const fromAt = lineStart + lead.length;
  const toAt = fromAt + from.length + arrow.length;
  return [
    { start: fromAt, end: fromAt + from.length, replacement: shiftClock(from, offsetSeconds, true) },
    { start: toAt, end: toAt + to.length, replacement: shiftClock(to, offsetSeconds, true) },
  ];
}

/** Voice tags and, on a cue's first text line, the `Name: ` speaker prefix; then the text between them. */
function cueLineEdits(line: string, lineStart: number, ctx: DeidContext, first: boolean): DeidEdit[] {
  const edits: DeidEdit[] = [];
  const structure: Array<[number, number]> = [];
  for (const m of line.matchAll(VOICE)) {
    const nameAt = m.index + 2 + (m[1]?.length ?? 0) + m[2].length;
    edits.push({ start: lineStart + nameAt, end: lineStart + nameAt + m[3].length, replacement: labelOf(m[3], ctx) });
    structure.push([m.index, m.index + m[0].length]);
  }
  const colon = line.indexOf(': ');
  if (first && colon > 0 && !line.startsWith('<')) {
    edits.push({ start: lineStart, end: lineStart + colon, replacement: labelOf(line.slice(0, colon), ctx) });
    structure.push([0, colon + 1]);
  }
  // Closing tags and other markup are not text either: "</v>", "<i>", "<00:00:01.000>".
  for (const m of line.matchAll(/<[^>]*>/g)) if (!structure.some(([s, e]) => m.index >= s && m.index < e)) structure.push([m.index, m.index + m[0].length]);
  structure.sort((a, b) => a[0] - b[0]);
  let at = 0;
  for (const [s, e] of [...structure, [line.length, line.length] as [number, number]]) {
    if (s > at) edits.push(...textEdits(line.slice(at, s), lineStart + at, ctx));
    at = Math.max(at, e);
  }
  return edits;
}

/** A speaker label's role label, or [PERSON] for a label that matches nobody on the roster. */
export function labelOf(label: string, ctx: DeidContext): string {
  // A file repeats a handful of labels: each is matched against the roster once.
  let out = ctx.roster.labels.get(label);
  if (out === undefined) {
    const person = personOfLabel(label, ctx.roster);
    out = person ? ctx.roster.labelOf(person) : '[PERSON]';
    ctx.roster.labels.set(label, out);
  }
  return out;
}
