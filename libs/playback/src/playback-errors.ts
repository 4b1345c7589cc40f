import type { PlaybackTokenRefusal } from './playback-token';

/** Domain errors of playback; apps/api's error filter gives each its status. */

/** 401: the playback token in the URI is malformed, forged or expired. */
export class PlaybackTokenRefused extends Error {
  constructor(readonly refusal: PlaybackTokenRefusal) {
    super(`playback token ${refusal}`);
    this.name = 'PlaybackTokenRefused';
  }
}

/** 403: the viewer may not watch this recording (any more). */
export class PlaybackForbidden extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'PlaybackForbidden';
  }
}

/** 404: no recording, no stored stream yet, or no such file of the stream. */
export class PlaybackNotFound extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlaybackNotFound';
  }
}
