/** Bigger than the kind's limit (HTTP 413); nothing is kept. */
export class UploadTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`the upload is larger than the ${maxBytes} bytes allowed for its kind`);
    this.name = 'UploadTooLarge';
  }
}

/** Not the type its kind requires (HTTP 415); nothing is kept. */
export class UnsupportedUpload extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'UnsupportedUpload';
  }
}

/** An image of learners without every pictured learner's current images consent (HTTP 403). */
export class ImagesConsentMissing extends Error {
  constructor(readonly learnerIds: string[]) {
    super(`no current images consent for pictured learner(s): ${learnerIds.join(', ')}`);
    this.name = 'ImagesConsentMissing';
  }
}

/** A malformed upload request (HTTP 400). */
export class InvalidUpload extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidUpload';
  }
}

/** Unknown upload or session (HTTP 404). */
export class UploadNotFound extends Error {
  constructor(readonly what: 'upload' | 'session' = 'upload') {
    super(`${what} not found`);
    this.name = 'UploadNotFound';
  }
}

/** A review that cannot be recorded: not a verification video, already reviewed, or gone (HTTP 409). */
export class UploadNotReviewable extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'UploadNotReviewable';
  }
}
