/**
 * Parser errors for the files Zoom delivers. They name the line (or timeline entry) and what is
 * wrong with it, never the text itself: transcripts and chat logs are personal data and these
 * messages end up in logs.
 */
export class TranscriptMalformed extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`transcript line ${line}: ${reason}`);
    this.name = 'TranscriptMalformed';
  }
}

export class ChatLogMalformed extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`chat log line ${line}: ${reason}`);
    this.name = 'ChatLogMalformed';
  }
}

/** `entry` is the index in `timeline[]`, or null when the document as a whole is wrong. */
export class TimelineMalformed extends Error {
  constructor(
    readonly entry: number | null,
    readonly reason: string,
  ) {
    super(entry === null ? `timeline: ${reason}` : `timeline entry ${entry}: ${reason}`);
    this.name = 'TimelineMalformed';
  }
}

/**
 * Talk-time input that cannot be measured (a time that is not a number, an end before its start, a
 * person missing from the roster). `what` says which input ("utterance 3", "roster entry 2"); like
 * the parser errors, the message never carries a name or what was said.
 */
export class TalkTimeInputInvalid extends Error {
  constructor(
    readonly what: string,
    readonly reason: string,
  ) {
    super(`talk time: ${what}: ${reason}`);
    this.name = 'TalkTimeInputInvalid';
  }
}
