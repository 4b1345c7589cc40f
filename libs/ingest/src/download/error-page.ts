/**
 * Zoom answers a failed, deleted or unauthorised download with 200 and an HTML page or a small
 * JSON error, so the status alone proves nothing. This looks at the content type and the first
 * bytes of the body (a few hundred are plenty) and returns why it is not the file, or null.
 * Reasons never quote the body: an error page may echo the request or a person's name.
 */
export function looksLikeErrorPage(firstBytes: Buffer, contentType: string | null, expectJson: boolean): string | null {
  const mime = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mime === 'text/html' || mime === 'application/xhtml+xml') return 'the host answered with an HTML page, not the file';

  const head = leadingText(firstBytes);
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return 'the host answered with an HTML page, not the file';

  const zoomError = zoomJsonError(head, expectJson);
  if (zoomError !== null) return zoomError;
  if (!expectJson && (mime === 'application/json' || mime.endsWith('+json'))) {
    return 'the host answered with a JSON document, not the file';
  }
  return null;
}

/** The start of the body as lower-case text, without a UTF-8 byte-order mark or leading whitespace. */
function leadingText(bytes: Buffer): string {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return bytes.subarray(start, start + 512).toString('utf8').trimStart().toLowerCase();
}

// Zoom's two error shapes: {"code":124,"message":"Invalid access token."} and
// {"status":false,"errorCode":...,"errorMessage":...}.
const CODE_FIRST = /^\{\s*"code"\s*:\s*(-?\d+)?/;
const CODE_THEN_MESSAGE = /^\{\s*"code"\s*:\s*[^,{}]*,\s*"message"\s*:/;
const STATUS_FALSE = /^\{\s*"status"\s*:\s*false\b/;

function zoomJsonError(head: string, expectJson: boolean): string | null {
  // A file we expect to be JSON (the timeline) legitimately starts with `{`: only the full
  // error shape counts there. Anything else starting with Zoom's error keys is an error.
  const code = CODE_FIRST.exec(head);
  const isError = STATUS_FALSE.test(head) || (expectJson ? CODE_THEN_MESSAGE.test(head) : code !== null);
  if (!isError) return null;
  return code?.[1] !== undefined ? `the host answered with a Zoom JSON error (code ${code[1]})` : 'the host answered with a Zoom JSON error';
}
