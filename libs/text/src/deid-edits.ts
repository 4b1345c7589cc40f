import { parseClockTime } from './clock-time';
import { DeidContext, DeidKind, DeidSpan, findDeidSpans } from './deid-spans';

/**
 * A de-identified file is its original with edits applied: personal data in the text becomes a
 * placeholder, a speaker label its role label, a time the time from the session start. Edits never
 * cross a line break, so the result has the same lines as the original (CONTRACT: line for line).
 */
export interface DeidEdit {
  start: number;
  end: number;
  replacement: string;
  /** Set for personal data found in running text; labels and times have none. */
  kind?: DeidKind;
}

export function applyEdits(text: string, edits: readonly DeidEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    out += text.slice(at, e.start) + e.replacement;
    at = e.end;
  }
  return out + text.slice(at);
}

/** The personal data among the edits, sorted: the spans a file's de-identification replaced. */
export function editSpans(edits: readonly DeidEdit[]): DeidSpan[] {
  return edits
    .filter((e): e is DeidEdit & { kind: DeidKind } => e.kind !== undefined)
    .map(({ kind, start, end }) => ({ kind, start, end }))
    .sort((a, b) => a.start - b.start);
}

/** Edits for the personal data in `text`, which starts at `offset` in the file. */
export function textEdits(text: string, offset: number, ctx: DeidContext): DeidEdit[] {
  if (text.trim() === '') return [];
  ctx.onRunningText?.(offset, offset + text.length);
  return findDeidSpans(text, ctx).map((s) => ({ start: offset + s.start, end: offset + s.end, replacement: `[${s.kind}]`, kind: s.kind }));
}

/** The lines of a file with the offset each starts at (any of \r\n, \r, \n ends a line). */
export function fileLines(text: string): Array<{ text: string; start: number }> {
  const out: Array<{ text: string; start: number }> = [];
  const re = /\r\n|\r|\n/g;
  let at = 0;
  for (const m of text.matchAll(re)) {
    out.push({ text: text.slice(at, m.index), start: at });
    at = m.index + m[0].length;
  }
  out.push({ text: text.slice(at), start: at });
  return out;
}

/**
 * A clock time moved back by `offsetSeconds` (never below zero), written as it was: with
 * milliseconds for WebVTT, whole seconds for chat logs; hours kept when the original had them.
 */
export function shiftClock(stamp: string, offsetSeconds: number, millis: boolean): string {
  const seconds = parseClockTime(stamp, { millis: millis ? 'required' : 'optional' });
  if (seconds === null || offsetSeconds === 0) return stamp;
  const ms = Math.max(0, Math.round((seconds - offsetSeconds) * 1000));
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const h = Math.floor(ms / 3_600_000);
  const clock = `${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}`;
  const hours = stamp.split(':').length === 3 || h > 0 ? `${pad(h)}:` : '';
  return millis ? `${hours}${clock}.${pad(ms % 1000, 3)}` : `${pad(h)}:${clock}`;
}
