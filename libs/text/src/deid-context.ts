import { chatEdits } from './deid-chat';
import type { DeidEdit } from './deid-edits';
import { defaultNameLexicon, NameLexicon } from './deid-lexicon';
import { compileRoster, DeidRosterPerson } from './deid-roster';
import type { DeidContext } from './deid-spans';
import { transcriptEdits } from './deid-transcript';

export interface DeidOptions {
  /** The label a roster person's speaker label becomes: default [TUTOR], [LEARNER 1], [LEARNER 2], [PARENT 1] in roster order; an export passes study pseudonyms. */
  labelFor?: (person: DeidRosterPerson) => string;
  /** The platform's own domains: links and emails on them stay. Default: none (every link goes). */
  allowedDomains?: readonly string[];
  /** Seconds to subtract from times (cue timings, chat stamps) so they are relative to the session start; default 0. */
  offsetSeconds?: number;
  /** The name lexicon (default: defaultNameLexicon()); the benchmark swaps it to compare lexicons. */
  lexicon?: NameLexicon;
}

export function deidContext(roster: readonly DeidRosterPerson[], options: DeidOptions, onRunningText?: DeidContext['onRunningText']): DeidContext {
  const lexicon = options.lexicon ?? defaultNameLexicon();
  return {
    roster: compileRoster(roster, lexicon, options.labelFor),
    lexicon,
    allowedDomains: options.allowedDomains ?? [],
    onRunningText,
    carry: { birthdayTurns: 0, asked: null, askedTurns: 0 },
  };
}

export function isTranscript(text: string): boolean {
  return /^\uFEFF?WEBVTT(?:[ \t\r\n]|$)/.test(text);
}

/** The edits that de-identify a transcript (it starts with WEBVTT) or else a chat log. */
export function fileEdits(text: string, ctx: DeidContext, offsetSeconds: number): DeidEdit[] {
  return isTranscript(text) ? transcriptEdits(text, ctx, offsetSeconds) : chatEdits(text, ctx, offsetSeconds);
}
