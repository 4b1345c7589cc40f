import { matchRosterName, normaliseName, RosterName } from './name-match';
import { foldWithOffsets } from './text-fold';

/**
 * Erasure of one person from kept text (POLICIES §2: names in transcripts, chat logs and timelines
 * are the person's data). Speaker labels are matched by the CONTRACT's name-matching rules against
 * the session's roster (so "Elisa L." and a unique "Elisa" are hers); in running text, occurrences
 * of the full display name (any case, accents, apostrophe style, hyphen or space) and of their
 * email become placeholders. A first name alone in running text is left: the research
 * de-identification goes further than erasure needs to.
 */
export interface RedactionTarget extends RosterName {
  email?: string | null;
}

export interface Redacted {
  text: string;
  replacements: number;
}

export const PERSON_PLACEHOLDER = '[PERSON]';
export const EMAIL_PLACEHOLDER = '[EMAIL]';

const APOSTROPHES = "['\u2018\u2019\u02bc`\u00b4]";
const SEPARATORS = '[\\s\\-\u2010-\u2015]+';

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces every occurrence of the person's full display name, and of their email, in free text. */
export function redactOccurrences(text: string, target: RedactionTarget): Redacted {
  let replacements = 0;
  let out = text;
  const tokens = normaliseName(target.displayName).split(' ').filter(Boolean);
  if (tokens.length > 0) {
    const pattern = new RegExp(
      `(?<![\\p{L}\\p{N}])${tokens.map((t) => escapeRegex(t).replace(/'/g, APOSTROPHES)).join(SEPARATORS)}(?![\\p{L}\\p{N}])`,
      'gu',
    );
    const { folded, from, to } = foldWithOffsets(out);
    const spans: Array<[number, number]> = [];
    for (const m of folded.matchAll(pattern)) spans.push([from[m.index as number], to[(m.index as number) + m[0].length - 1]]);
    for (const [start, end] of spans.reverse()) {
      out = out.slice(0, start) + PERSON_PLACEHOLDER + out.slice(end);
      replacements += 1;
    }
  }
  if (target.email) {
    const email = new RegExp(`(?<![\\w.+-])${escapeRegex(target.email)}(?![\\w-])`, 'gi');
    out = out.replace(email, () => {
      replacements += 1;
      return EMAIL_PLACEHOLDER;
    });
  }
  return { text: out, replacements };
}

function withTarget(roster: readonly RosterName[], target: RedactionTarget): RosterName[] {
  return roster.some((p) => p.personId === target.personId) ? [...roster] : [...roster, target];
}

const isTarget = (label: string, roster: readonly RosterName[], target: RedactionTarget) =>
  matchRosterName(label.trim(), roster)?.personId === target.personId;

/** A WebVTT transcript (Zoom's TRANSCRIPT and CC): cue speaker labels and `<v Name>` tags, then the text. */
export function redactTranscript(vtt: string, target: RedactionTarget, roster: readonly RosterName[]): Redacted {
  const people = withTarget(roster, target);
  let replacements = 0;
  let firstTextLine = false;
  const lines = vtt.split('\n').map((line) => {
    if (line.includes('-->')) {
      firstTextLine = true;
      return line;
    }
    if (line.trim() === '') {
      firstTextLine = false;
      return line;
    }
    let out = line.replace(/<v(\.[^\s>]*)?\s+([^>]+)>/g, (tag, classes: string | undefined, name: string) => {
      if (!isTarget(name, people, target)) return tag;
      replacements += 1;
      return `<v${classes ?? ''} ${PERSON_PLACEHOLDER}>`;
    });
    if (firstTextLine) {
      firstTextLine = false;
      const colon = out.indexOf(': ');
      if (colon > 0 && !out.startsWith('<') && isTarget(out.slice(0, colon), people, target)) {
        out = PERSON_PLACEHOLDER + out.slice(colon);
        replacements += 1;
      }
    }
    const rest = redactOccurrences(out, target);
    replacements += rest.replacements;
    return rest.text;
  });
  return { text: lines.join('\n'), replacements };
}

const TAB_CHAT = /^(\d{1,2}:\d{2}:\d{2}\t)([^\t]+?)(:\t.*)$/s;
const FROM_TO_CHAT = /^(\d{1,2}:\d{2}:\d{2}\s+From\s+)(.+?)(\s+[Tt]o\s+)(.+?)((?:\s*\([^)]*\))?\s*:.*)$/s;

/** A Zoom chat log: `HH:MM:SS<TAB>Name:<TAB>message` or `HH:MM:SS From A to B: message`. */
export function redactChat(chat: string, target: RedactionTarget, roster: readonly RosterName[]): Redacted {
  const people = withTarget(roster, target);
  let replacements = 0;
  const label = (name: string) => {
    if (!isTarget(name, people, target)) return name;
    replacements += 1;
    return PERSON_PLACEHOLDER;
  };
  const lines = chat.split('\n').map((line) => {
    let out = line;
    const tab = TAB_CHAT.exec(line);
    const fromTo = tab ? null : FROM_TO_CHAT.exec(line);
    if (tab) out = tab[1] + label(tab[2]) + tab[3];
    else if (fromTo) out = fromTo[1] + label(fromTo[2]) + fromTo[3] + label(fromTo[4]) + fromTo[5];
    const rest = redactOccurrences(out, target);
    replacements += rest.replacements;
    return rest.text;
  });
  return { text: lines.join('\n'), replacements };
}

/** Zoom's TIMELINE JSON: a user entry naming the person loses its name and email; other strings as text. */
export function redactTimeline(json: string, target: RedactionTarget, roster: readonly RosterName[]): Redacted {
  const people = withTarget(roster, target);
  let replacements = 0;
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const r = redactOccurrences(value, target);
      replacements += r.replacements;
      return r.text;
    }
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      const entry = value as Record<string, unknown>;
      const named = typeof entry.username === 'string' && isTarget(entry.username, people, target);
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(entry)) {
        if (named && key === 'username') out[key] = PERSON_PLACEHOLDER;
        else if (named && key === 'email_address' && typeof v === 'string' && v !== '') out[key] = EMAIL_PLACEHOLDER;
        else out[key] = walk(v);
        if (named && (key === 'username' || (key === 'email_address' && v !== ''))) replacements += 1;
      }
      return out;
    }
    return value;
  };
  const redacted = walk(JSON.parse(json));
  return { text: JSON.stringify(redacted, null, json.includes('\n') ? 2 : undefined), replacements };
}
