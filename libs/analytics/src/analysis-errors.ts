import { AudioUnreadable, NoAudioTrack } from '@lib/media';
import { ObjectMissing } from '@lib/storage';
import { ChatLogMalformed, TalkTimeInputInvalid, TimelineMalformed, TranscriptMalformed } from '@lib/text';
import { SourceTooLarge } from './source-files';

/** A stored file analysis cannot read: recorded with its reason; the next source is tried. */
export function isUnreadableSource(error: unknown): boolean {
  return (
    error instanceof TranscriptMalformed ||
    error instanceof ChatLogMalformed ||
    error instanceof TimelineMalformed ||
    error instanceof TalkTimeInputInvalid ||
    error instanceof SourceTooLarge ||
    error instanceof AudioUnreadable ||
    error instanceof NoAudioTrack ||
    // Stored, but its object is gone (the object reconciler's business): recorded, not retried for ever.
    error instanceof ObjectMissing
  );
}

export class TalkTimeNotFound extends Error {
  override readonly name = 'TalkTimeNotFound';
  constructor() {
    super('no talk-time report for this recording (not analysed yet, or it has no transcript, timeline or participant audio)');
  }
}

export class AnalysisRecordingNotFound extends Error {
  override readonly name = 'AnalysisRecordingNotFound';
  constructor() {
    super('recording not found');
  }
}

export class FeedbackNotAllowed extends Error {
  override readonly name = 'FeedbackNotAllowed';
  constructor(what: string) {
    super(`not allowed to read ${what}`);
  }
}

export class SessionTextNotFound extends Error {
  override readonly name = 'SessionTextNotFound';
  constructor(kind: 'transcript' | 'chat') {
    super(kind === 'transcript' ? 'the recording has no stored transcript' : 'the recording has no stored chat log');
  }
}

export class SafetyExceptionNotFound extends Error {
  override readonly name = 'SafetyExceptionNotFound';
  constructor() {
    super('no such active safety exception');
  }
}
