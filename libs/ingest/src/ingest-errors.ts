/** The webhook's signature or timestamp does not hold: 401, nothing stored. */
export class SignatureRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'SignatureRejected';
  }
}

/** The body is not JSON, or not the shape Zoom sends: 400. */
export class MalformedDelivery extends Error {
  readonly retryable = false;
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'MalformedDelivery';
  }
}

/** Zoom has not finished processing a file yet: try later, without counting it as a failure. */
export class FileNotReady extends Error {
  constructor() {
    super('Zoom has not finished processing this file');
    this.name = 'FileNotReady';
  }
}

/** What Zoom answered us with a download link we cannot use and cannot renew. */
export class DownloadTokenExpired extends Error {
  readonly retryable = false;
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'DownloadTokenExpired';
  }
}
