import { deidContext, DeidOptions, fileEdits } from './deid-context';
import { applyEdits, editSpans } from './deid-edits';
import type { DeidRosterPerson } from './deid-roster';
import { applySpans, DeidSpan, findDeidSpans } from './deid-spans';
import { transcriptEdits } from './deid-transcript';
import { chatEdits } from './deid-chat';

/**
 * De-identification of transcripts and chat logs for research exports (POLICIES §1, §4; CONTRACT
 * "De-identification output"): one implementation for the export builder and the `deidentify`
 * command. Speaker labels become role labels ([TUTOR], [LEARNER 1], … or a study's pseudonyms),
 * personal data in the text becomes a typed placeholder ([PERSON], [EMAIL], [PHONE], [URL],
 * [SOCIAL], [ADDRESS], [SCHOOL], [DOB], [ZOOM]), times count from the session start, and the file
 * keeps its lines. What each detector finds and leaves: deid-*.ts and docs/research.md.
 */
export type { DeidKind, DeidSpan } from './deid-spans';
export type { DeidRosterPerson } from './deid-roster';
export type { DeidOptions } from './deid-context';
export { isTranscript } from './deid-context';

/** Bumped whenever a rule changes what is replaced: it goes into every export manifest. */
export const DEID_VERSION = '1';

export interface DeidResult {
  text: string;
  /** What was replaced in the running text, as offsets into the original (labels and times not included). */
  spans: DeidSpan[];
}

/** Running text (a message, a note): every person named and every personal detail replaced. */
export function deidentifyText(text: string, roster: readonly DeidRosterPerson[], options: DeidOptions = {}): DeidResult {
  const spans = findDeidSpans(text, deidContext(roster, options));
  return { text: applySpans(text, spans), spans };
}

/** A WebVTT transcript, line for line. Throws TranscriptMalformed (naming the line) for a file it cannot read. */
export function deidentifyTranscript(vtt: string, roster: readonly DeidRosterPerson[], options: DeidOptions = {}): string {
  return applyEdits(vtt, transcriptEdits(vtt, deidContext(roster, options), options.offsetSeconds ?? 0));
}

/** A Zoom chat log, line for line. Throws ChatLogMalformed (naming the line) for a log it cannot read. */
export function deidentifyChatLog(chat: string, roster: readonly DeidRosterPerson[], options: DeidOptions = {}): string {
  return applyEdits(chat, chatEdits(chat, deidContext(roster, options), options.offsetSeconds ?? 0));
}

/** A transcript (it starts with WEBVTT) or else a chat log, line for line. */
export function deidentifyFile(text: string, roster: readonly DeidRosterPerson[], options: DeidOptions = {}): string {
  return deidentifyFileWithSpans(text, roster, options).text;
}

/**
 * deidentifyFile, with the spans of personal data it replaced in the running text (offsets into
 * the original file): what an export silences in the audio, and what the evaluation scores.
 */
export function deidentifyFileWithSpans(text: string, roster: readonly DeidRosterPerson[], options: DeidOptions = {}): DeidResult {
  const edits = fileEdits(text, deidContext(roster, options), options.offsetSeconds ?? 0);
  return { text: applyEdits(text, edits), spans: editSpans(edits) };
}
