/** No such study — or one the caller may not see (the same answer: 404). */
export class StudyNotFound extends Error {
  override readonly name = 'StudyNotFound';
  constructor() {
    super('study not found');
  }
}

/** No such export — or one the caller may not see (404). */
export class ExportNotFound extends Error {
  override readonly name = 'ExportNotFound';
  constructor() {
    super('export not found');
  }
}

/** The caller may see it but not do this (403), e.g. an admin approving their own request. */
export class ExportForbidden extends Error {
  override readonly name = 'ExportForbidden';
}

/** Not in a state that allows this (409): a download before `ready`, an approval of a rejected export, the download limit. */
export class ExportNotAvailable extends Error {
  override readonly name = 'ExportNotAvailable';
}
