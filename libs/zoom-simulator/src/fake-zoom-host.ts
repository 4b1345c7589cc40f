import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { statSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import { tokenExpirySeconds } from './download-token';
import { LoopbackServer, sendJson, splitTarget } from './loopback-server';
import { ByteSource, parseRange, serveBytes, ServePlan } from './serve-bytes';

/** Ways one file's download misbehaves, each seen in real Zoom deliveries or their CDNs. */
export interface FileFaults {
  /** The first N authorised download attempts answer 503. */
  failFirst?: number;
  /** Storage resets the connection after this many body bytes… */
  dropAfterBytes?: number;
  /** …on its first `dropTimes` responses (default 1; Infinity for every response). */
  dropTimes?: number;
  /** Storage goes silent (connection open, no more bytes) after this many body bytes… */
  stallAfterBytes?: number;
  /** …on its first `stallTimes` responses (default 1). */
  stallTimes?: number;
  /** The download host answers 200 text/html with an error page instead of redirecting. */
  htmlErrorPage?: boolean;
  /** The download host answers 200 with a small JSON error instead of redirecting. */
  jsonError?: boolean;
  /** Storage trickles the body at this rate. */
  throttleBytesPerSecond?: number;
  /** The download host redirects here instead of to its storage (e.g. a host not on the allow-list). */
  redirectTo?: string;
}

export interface HostedFileSpec {
  /** A file on disk, streamed on each request; or `content` for small in-memory bodies. */
  path?: string;
  content?: Buffer;
  contentType: string;
  faults?: FileFaults;
}

export interface HostRequest {
  server: 'download' | 'storage';
  method: string;
  /** The raw request target, query included. */
  path: string;
  hadAuthorization: boolean;
  range?: string;
  at: number;
}

export interface FakeZoomHostOptions {
  host?: string;
  port?: number;
  storagePort?: number;
  /** A token accepted from the start (more via acceptToken). */
  downloadToken?: string;
  signedUrlTtlSeconds?: number;
  now?: () => number;
}

interface HostedFile {
  source: ByteSource;
  size: number;
  contentType: string;
  faults: FileFaults;
  attempts: number;
  drops: number;
  stalls: number;
  bytesServed: number;
}

const HTML_ERROR_PAGE =
  '<!DOCTYPE html><html><head><title>Error - Zoom</title></head><body><h1>Sorry, an error occurred</h1>' +
  '<p>This recording does not exist or you do not have permission to download it.</p></body></html>';

/**
 * Zoom's download host (`/rec/download/:key`, Bearer download token, 302 to signed storage) and
 * the signed storage it redirects to, on two loopback origins so cross-origin redirect handling
 * (allow-list, no forwarded Authorization) is exercised for real.
 */
export class FakeZoomHost {
  readonly requests: HostRequest[] = [];
  private readonly files = new Map<string, HostedFile>();
  private readonly tokens = new Set<string>();
  private readonly signingKey = randomBytes(32);
  private readonly now: () => number;
  private readonly download: LoopbackServer;
  private readonly storage: LoopbackServer;

  constructor(private readonly opts: FakeZoomHostOptions = {}) {
    this.now = opts.now ?? Date.now;
    if (opts.downloadToken) this.tokens.add(opts.downloadToken);
    this.download = new LoopbackServer((req, res) => this.onDownload(req, res), opts.host, opts.port);
    this.storage = new LoopbackServer((req, res) => this.onStorage(req, res), opts.host, opts.storagePort);
  }

  async start(): Promise<void> {
    await Promise.all([this.download.start(), this.storage.start()]);
  }

  async stop(): Promise<void> {
    await Promise.all([this.download.stop(), this.storage.stop()]);
  }

  get baseUrl(): string {
    return this.download.origin;
  }

  get storageBaseUrl(): string {
    return this.storage.origin;
  }

  /** Both origins, as ZOOM_DOWNLOAD_HOSTS entries. */
  allowListEntries(): string[] {
    return [this.baseUrl, this.storageBaseUrl];
  }

  addFile(spec: HostedFileSpec): { key: string; downloadUrl: string; size: number } {
    if (!spec.path === !spec.content) throw new Error('addFile needs exactly one of path or content');
    const source: ByteSource = spec.path ? { path: spec.path } : { content: spec.content as Buffer };
    const size = spec.path ? statSync(spec.path).size : (spec.content as Buffer).length;
    // Zoom's keys are long opaque url-safe strings; ours only need to be unguessable and unique.
    const key = randomBytes(24).toString('base64url');
    this.files.set(key, { source, size, contentType: spec.contentType, faults: spec.faults ?? {}, attempts: 0, drops: 0, stalls: 0, bytesServed: 0 });
    return { key, downloadUrl: `${this.baseUrl}/rec/download/${key}`, size };
  }

  /** Replaces every accepted token with this one. */
  setDownloadToken(token: string): void {
    this.tokens.clear();
    this.tokens.add(token);
  }

  acceptToken(token: string): void {
    this.tokens.add(token);
  }

  revokeToken(token: string): void {
    this.tokens.delete(token);
  }

  bytesServed(key: string): number {
    return this.files.get(key)?.bytesServed ?? 0;
  }

  resetLog(): void {
    this.requests.length = 0;
  }

  static keyOf(downloadUrl: string): string {
    return new URL(downloadUrl).pathname.split('/').pop() ?? '';
  }

  private log(server: HostRequest['server'], req: IncomingMessage): void {
    this.requests.push({
      server,
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      hadAuthorization: req.headers.authorization !== undefined,
      range: req.headers.range,
      at: this.now(),
    });
  }

  private onDownload(req: IncomingMessage, res: ServerResponse): void {
    this.log('download', req);
    const match = /^\/rec\/download\/([^/]+)$/.exec(splitTarget(req.url).rawPath);
    if (!match) return sendJson(res, 404, { code: 404, message: 'Not found.' });
    if (req.method !== 'GET') return sendJson(res, 405, { code: 405, message: 'Method not allowed.' });
    const refusal = this.checkToken(req.headers.authorization);
    if (refusal) return sendJson(res, 401, { code: 124, message: refusal });
    const file = this.files.get(match[1]);
    if (!file) return sendJson(res, 404, { code: 3301, message: 'This recording does not exist.' });
    const { faults } = file;
    file.attempts += 1;
    if (file.attempts <= (faults.failFirst ?? 0)) {
      return sendJson(res, 503, { code: 503, message: 'Service temporarily unavailable.' });
    }
    if (faults.htmlErrorPage) {
      res.writeHead(200, { 'content-type': 'text/html;charset=utf-8', 'content-length': Buffer.byteLength(HTML_ERROR_PAGE) });
      return void res.end(HTML_ERROR_PAGE);
    }
    if (faults.jsonError) return sendJson(res, 200, { status: false, errorCode: 3301, errorMessage: 'This recording does not exist.' });
    res.writeHead(302, { location: faults.redirectTo ?? this.signedUrl(match[1]), 'content-length': '0' });
    res.end();
  }

  /** Undefined when the token is accepted, else Zoom's message for the refusal. */
  private checkToken(authorization: string | undefined): string | undefined {
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token || !this.tokens.has(token)) return 'Invalid access token.';
    const exp = tokenExpirySeconds(token);
    if (exp !== undefined && exp * 1000 <= this.now()) return 'Access token is expired.';
    return undefined;
  }

  private signature(key: string, expires: string): Buffer {
    return createHmac('sha256', this.signingKey).update(`${key}:${expires}`).digest();
  }

  private signedUrl(key: string): string {
    const expires = String(Math.floor(this.now() / 1000) + (this.opts.signedUrlTtlSeconds ?? 3600));
    return `${this.storageBaseUrl}/objects/${key}?expires=${expires}&signature=${this.signature(key, expires).toString('hex')}`;
  }

  private async onStorage(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.log('storage', req);
    const { rawPath, query } = splitTarget(req.url);
    const match = /^\/objects\/([^/]+)$/.exec(rawPath);
    if (!match || (req.method !== 'GET' && req.method !== 'HEAD')) return sendXml(res, 404, 'NoSuchKey', 'The specified key does not exist.');
    // Like S3/CloudFront presigned URLs: the query string is the credential, a header is a second one.
    if (req.headers.authorization !== undefined) {
      return sendXml(res, 400, 'InvalidArgument', 'Only one auth mechanism allowed; only the signature query parameter or the Authorization header should be specified');
    }
    const key = match[1];
    const expires = query.get('expires') ?? '';
    const given = Buffer.from(query.get('signature') ?? '', 'hex');
    const expected = this.signature(key, expires);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return sendXml(res, 403, 'AccessDenied', 'Signature does not match.');
    if (Number(expires) * 1000 <= this.now()) return sendXml(res, 403, 'AccessDenied', 'Request has expired.');
    const file = this.files.get(key);
    if (!file) return sendXml(res, 404, 'NoSuchKey', 'The specified key does not exist.');

    const range = parseRange(req.headers.range, file.size);
    if (range === 'unsatisfiable') {
      res.writeHead(416, { 'content-range': `bytes */${file.size}` });
      return void res.end();
    }
    const span = range ?? { start: 0, end: file.size - 1 };
    const length = Math.max(0, span.end - span.start + 1);
    res.writeHead(range ? 206 : 200, {
      'content-type': file.contentType,
      'content-length': String(length),
      'accept-ranges': 'bytes',
      ...(range ? { 'content-range': `bytes ${span.start}-${span.end}/${file.size}` } : {}),
    });
    if (req.method === 'HEAD' || length === 0) return void res.end();
    await serveBytes(res, file.source, span, this.planFor(file), (n) => (file.bytesServed += n));
  }

  private planFor(file: HostedFile): ServePlan {
    const { faults } = file;
    const plan: ServePlan = { bytesPerSecond: faults.throttleBytesPerSecond };
    if (faults.dropAfterBytes !== undefined && file.drops < (faults.dropTimes ?? 1)) {
      file.drops += 1;
      plan.limit = { bytes: faults.dropAfterBytes, then: 'drop' };
    } else if (faults.stallAfterBytes !== undefined && file.stalls < (faults.stallTimes ?? 1)) {
      file.stalls += 1;
      plan.limit = { bytes: faults.stallAfterBytes, then: 'stall' };
    }
    return plan;
  }
}

function sendXml(res: ServerResponse, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}
