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

/** Request URLs are logged without their query: playback and download URIs carry tokens there. */
export function pathOnly(url: string | undefined): string {
  if (!url) return '';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
