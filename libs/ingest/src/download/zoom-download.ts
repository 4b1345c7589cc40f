import type { OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { DownloadRefused, DownloadRejected, DownloadTokenRejected, DownloadTransient } from './download-errors';
import { checkUrl, type AllowEntry } from './download-guard';
import { sendGuardedRequest } from './guarded-request';

export interface ZoomDownloadOptions {
  /** Zoom's `download_token`; sent only to the first URL's origin. */
  readonly bearerToken?: string;
  readonly allow: readonly AllowEntry[];
  readonly maxRedirects: number;
  /** How long without a single byte (connecting included) before the download counts as stalled. */
  readonly idleTimeoutMs: number;
  readonly signal?: AbortSignal;
  /**
   * For files Zoom lists without `file_size` (CC, TIMELINE): the most bytes the body may have.
   * Past it the body fails with `DownloadRejected` (never retried: the file will not shrink).
   */
  readonly maxBytes?: number;
}

export interface OpenedDownload {
  /** The file's bytes, not buffered; errors on it are `DownloadTransient` (or the abort reason). */
  readonly body: Readable;
  readonly status: number;
  readonly contentType: string | null;
  readonly contentLength: number | null;
  readonly redirects: number;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Opens a Zoom recording file for streaming. Zoom answers with a redirect to signed storage on
 * another host; each hop is checked against the allow-list and the address guard, and the
 * bearer token goes to Zoom's own origin only: forwarding it would leak it to storage, which
 * refuses a second credential anyway. Whether a 200 body is really the file (Zoom sends HTML or
 * JSON errors with 200) is for the caller to sniff with `looksLikeErrorPage`.
 */
export async function openZoomDownload(url: string, options: ZoomDownloadOptions): Promise<OpenedDownload> {
  const first = allowedTarget(url, options.allow);
  let target = first;
  let redirects = 0;
  for (;;) {
    const toZoom = target.url.origin === first.url.origin;
    const exchange = await sendGuardedRequest(target.url, target.entry, {
      headers: requestHeaders(toZoom ? options.bearerToken : undefined),
      idleTimeoutMs: options.idleTimeoutMs,
      signal: options.signal,
      maxBytes: options.maxBytes,
    });
    const { status, headers } = exchange;
    if (status >= 200 && status < 300) {
      return { body: exchange.body, status, contentType: headers['content-type'] ?? null, contentLength: exchange.contentLength, redirects };
    }
    exchange.discard();
    const host = target.url.hostname;
    if (!REDIRECT_STATUSES.has(status)) throw statusError(status, host, toZoom, headers['retry-after']);
    if (redirects >= options.maxRedirects) throw new DownloadRefused(`more than ${options.maxRedirects} redirects`);
    target = allowedTarget(redirectLocation(headers.location, target.url, status, host), options.allow);
    redirects += 1;
  }
}

function allowedTarget(url: string, allow: readonly AllowEntry[]): { url: URL; entry: AllowEntry } {
  const decision = checkUrl(url, allow);
  if (!decision.allowed) throw new DownloadRefused(decision.reason);
  return { url: new URL(url), entry: decision.entry };
}

function redirectLocation(location: string | undefined, base: URL, status: number, host: string): string {
  if (!location) throw new DownloadRejected(`${host} answered ${status} without a Location`, status);
  try {
    return new URL(location, base).href;
  } catch {
    throw new DownloadRejected(`${host} answered ${status} with an unparsable Location`, status);
  }
}

function requestHeaders(bearerToken: string | undefined): OutgoingHttpHeaders {
  return {
    accept: '*/*',
    // The archive keeps the file's own bytes: no transfer compression to undo.
    'accept-encoding': 'identity',
    'user-agent': 'recording-archive',
    ...(bearerToken ? { authorization: `Bearer ${bearerToken}` } : {}),
  };
}

function statusError(status: number, host: string, fromZoom: boolean, retryAfter: string | undefined): Error {
  if (status === 401 && fromZoom) return new DownloadTokenRejected(`${host} refused the download token (401)`);
  if (status === 408 || status === 429 || (status >= 500 && status <= 599)) {
    return new DownloadTransient(`${host} answered ${status}`, status, retryAfterMs(retryAfter));
  }
  return new DownloadRejected(`${host} answered ${status}`, status);
}

/** Only the delta-seconds form: an HTTP date would need a clock, and a retry soon is harmless. */
function retryAfterMs(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,6}$/.test(value.trim()) ? Number(value.trim()) * 1000 : undefined;
}
