/** The recording named does not exist (or is not a recording id at all). */
export class ReviewRecordingNotFound extends Error {
  constructor() {
    super('recording not found');
    this.name = 'ReviewRecordingNotFound';
  }
}

/** The caller's role, or their lack of an assignment, does not let them review or read this recording. */
export class ReviewNotAllowed extends Error {
  constructor() {
    super('you may not review this recording');
    this.name = 'ReviewNotAllowed';
  }
}
