/**
 * Paths pino must never print: credentials and personal data. Our own log lines carry ids only;
 * this is the safety net for objects that slip into a log call.
 */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-zm-signature"]',
  '*.authorization',
  '*.token',
  '*.downloadToken',
  '*.download_token',
  '*.access_token',
  '*.password',
  '*.secret',
  '*.email',
  '*.host_email',
  '*.displayName',
  '*.display_name',
  '*.file_name',
  '*.name',
  '*.topic',
  '*.text',
];

/** A playback URI carries its token as a path segment (CONTRACT "Playback"). */
const PLAYBACK_TOKEN_SEGMENT = /^\/v1\/playback\/[^/]*(\/|$)/;

/**
 * Request URLs as logged: without their query (download URIs carry tokens there) and with the
 * token segment of a playback URI replaced, `/v1/playback/[token]/seg-00001.ts`.
 */
export function pathOnly(url: string | undefined): string {
  if (!url) return '';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  return path.replace(PLAYBACK_TOKEN_SEGMENT, (_match, slash: string) => `/v1/playback/[token]${slash}`);
}
