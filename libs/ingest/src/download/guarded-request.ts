import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import { DownloadError, DownloadRefused, DownloadRejected, DownloadTransient } from './download-errors';
import { checkAddress, isIpLiteral, type AllowEntry } from './download-guard';

/** One answered request: its head, and the body as a stream that reports failures as download errors. */
export interface GuardedExchange {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly contentLength: number | null;
  readonly body: Readable;
  /** Drops the answer and its connection (redirects, error answers). */
  discard(): void;
}

export interface GuardedRequestOptions {
  readonly headers: http.OutgoingHttpHeaders;
  readonly idleTimeoutMs: number;
  readonly signal?: AbortSignal;
  /** The body may not be longer: an announced Content-Length over it fails at once, a body over it mid-stream. */
  readonly maxBytes?: number;
}

/**
 * GETs one URL already passed by `checkUrl`, connecting only to addresses `checkAddress` allows.
 * Names are resolved by our own `lookup`, so the address we check is the address the socket
 * connects to: a DNS answer cannot change between the check and the connection (rebinding).
 */
export function sendGuardedRequest(target: URL, entry: AllowEntry, options: GuardedRequestOptions): Promise<GuardedExchange> {
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = isIpLiteral(host);
  if (literal) {
    const decision = checkAddress(host, entry);
    if (!decision.allowed) return Promise.reject(new DownloadRefused(decision.reason));
  }
  const { signal, idleTimeoutMs } = options;
  if (signal?.aborted) return Promise.reject(abortReason(signal));

  return new Promise<GuardedExchange>((resolve, reject) => {
    let refusal: DownloadRefused | null = null;
    let answered = false;
    let done = false;
    let body: PassThrough | null = null;

    const guardedLookup: LookupFunction = (hostname, lookupOptions, callback) => {
      dnsLookup(hostname, { all: true, family: lookupOptions.family, hints: lookupOptions.hints }, (err, addresses) => {
        if (err) return callback(err, []);
        const refused = refusedAddress(hostname, addresses, entry);
        if (refused) {
          refusal = refused;
          return callback(refused, []);
        }
        if (lookupOptions.all) return callback(null, addresses);
        return callback(null, addresses[0].address, addresses[0].family);
      });
    };

    const fail = (error: Error): void => {
      if (done) return;
      done = true;
      cleanUp();
      if (!answered) reject(error);
      else if (body && !body.destroyed) body.destroy(error);
      req.destroy();
    };
    const finish = (): void => {
      done = true;
      cleanUp();
    };
    const onIdle = (): void => {
      // A consumer that is behind (S3 slower than Zoom) is not a stalled download.
      if (body?.writableNeedDrain) return void watchdog.refresh();
      fail(new DownloadTransient(`download stalled: no byte from ${host} for ${idleTimeoutMs} ms`));
    };
    const onAbort = (): void => fail(abortReason(signal as AbortSignal));
    const cleanUp = (): void => {
      clearTimeout(watchdog);
      signal?.removeEventListener('abort', onAbort);
    };

    // Started before connecting, so a silent DNS server or a black-holed SYN counts as a stall too.
    const watchdog = setTimeout(onIdle, idleTimeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    const transport = target.protocol === 'https:' ? https : http;
    const req = transport.request({
      protocol: target.protocol,
      hostname: host,
      port: target.port || undefined,
      path: `${target.pathname}${target.search}`,
      method: 'GET',
      headers: options.headers,
      // No pooled sockets: a kept-alive socket would skip our lookup and could point elsewhere.
      agent: false,
      lookup: literal ? undefined : guardedLookup,
    });
    req.on('error', (e) => fail(refusal ?? asDownloadError(e, host)));
    req.on('response', (res) => {
      const contentLength = parseContentLength(res.headers['content-length']);
      const { maxBytes } = options;
      const tooLarge = () => new DownloadRejected(`download is larger than the ${maxBytes} bytes allowed for a file whose size Zoom does not announce`);
      // Announced too large: refused before the answer is handed on, body unread.
      if (maxBytes !== undefined && contentLength !== null && contentLength > maxBytes && res.statusCode === 200) return fail(tooLarge());
      answered = true;
      watchdog.refresh();
      let received = 0;
      let ended = false;
      body = new PassThrough();
      const stream = body;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        watchdog.refresh();
        // Before the chunk is passed on (this listener precedes the pipe): not a byte past the cap is stored.
        if (maxBytes !== undefined && received > maxBytes) fail(tooLarge());
      });
      res.pipe(stream, { end: false });
      res.on('end', () => {
        ended = true;
        if (contentLength !== null && received < contentLength) return fail(dropped(host, received, contentLength));
        finish();
        stream.end();
      });
      // Node reports a connection lost mid-body as 'aborted' + an 'error' + 'close' without 'end'.
      res.on('error', () => fail(dropped(host, received, contentLength)));
      res.on('close', () => {
        if (!ended) fail(dropped(host, received, contentLength));
      });
      // The consumer gave up on the body: let the connection go too.
      stream.on('close', () => {
        if (!done) {
          finish();
          req.destroy();
        }
      });
      resolve({ status: res.statusCode ?? 0, headers: res.headers, contentLength, body: stream, discard: () => stream.destroy() });
    });
    req.end();
  });
}

function refusedAddress(hostname: string, addresses: LookupAddress[], entry: AllowEntry): DownloadRefused | null {
  if (addresses.length === 0) return new DownloadRefused(`${hostname} resolves to no address`);
  // Every address, not just the first: the socket may try any of them (happy eyeballs).
  for (const { address } of addresses) {
    const decision = checkAddress(address, entry);
    if (!decision.allowed) return new DownloadRefused(`${hostname} resolves to a refused address: ${decision.reason}`);
  }
  return null;
}

function asDownloadError(e: Error, host: string): Error {
  if (e instanceof DownloadError || e.name === 'AbortError') return e;
  const code = (e as NodeJS.ErrnoException).code ?? 'unknown';
  return new DownloadTransient(`network error ${code} talking to ${host}`);
}

function dropped(host: string, received: number, expected: number | null): DownloadTransient {
  const of = expected === null ? '' : ` of ${expected}`;
  return new DownloadTransient(`connection to ${host} dropped after ${received}${of} bytes`);
}

function parseContentLength(value: string | undefined): number | null {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : null;
}

function abortReason(signal: AbortSignal): Error {
  if (signal.reason instanceof Error) return signal.reason;
  const e = new Error('download aborted');
  e.name = 'AbortError';
  return e;
}
