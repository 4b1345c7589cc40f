import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import { tokenExpirySeconds } from './download-token';
import { LoopbackServer, sendJson, splitTarget } from './loopback-server';
import { FileFaults, HostedFile } from './hosted-file';
import { ByteSource } from './serve-bytes';
import { SignedStorage } from './signed-storage';

export type { FileFaults } from './hosted-file';

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
  private readonly now: () => number;
  private readonly signed: SignedStorage;
  private readonly download: LoopbackServer;
  private readonly storage: LoopbackServer;

  constructor(opts: FakeZoomHostOptions = {}) {
    this.now = opts.now ?? Date.now;
    if (opts.downloadToken) this.tokens.add(opts.downloadToken);
    this.signed = new SignedStorage((key) => this.files.get(key), this.now, opts.signedUrlTtlSeconds);
    this.download = new LoopbackServer((req, res) => this.onDownload(req, res), opts.host, opts.port);
    this.storage = new LoopbackServer((req, res) => {
      this.log('storage', req);
      return this.signed.handle(req, res);
    }, opts.host, opts.storagePort);
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
    const faults = spec.faults ?? {};
    this.files.set(key, { source, size, contentType: spec.contentType, faults, attempts: 0, drops: 0, stalls: 0, bytesServed: 0 });
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
      const headers = { 'content-type': 'text/html;charset=utf-8', 'content-length': Buffer.byteLength(HTML_ERROR_PAGE) };
      return void res.writeHead(200, headers).end(HTML_ERROR_PAGE);
    }
    if (faults.jsonError) {
      return sendJson(res, 200, { status: false, errorCode: 3301, errorMessage: 'This recording does not exist.' });
    }
    const location = faults.redirectTo ?? this.signed.signedUrl(this.storageBaseUrl, match[1]);
    res.writeHead(302, { location, 'content-length': '0' });
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
}
