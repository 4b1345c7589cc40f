import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { DownloadRefused, DownloadRejected, DownloadTokenRejected, DownloadTransient } from './download-errors';
import { parseAllowList, type AllowEntry } from './download-guard';
import { openZoomDownload, type ZoomDownloadOptions } from './zoom-download';

// Real loopback servers: Zoom's download host, the signed-storage host it redirects to, and a
// decoy that must never be reached.
interface TestServer {
  readonly server: http.Server;
  readonly port: number;
  readonly seen: { path: string; authorization: string | undefined }[];
  connections: number;
}

const TOKEN = 'download-token-abc';
let zoom: TestServer;
let storage: TestServer;
let decoy: TestServer;
let closedPort: number;
let allow: AllowEntry[];

async function startServer(handler: http.RequestListener, host: string): Promise<TestServer> {
  const server = http.createServer();
  const state: TestServer = { server, port: 0, seen: [], connections: 0 };
  server.on('connection', () => (state.connections += 1));
  server.on('request', (req, res) => {
    state.seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  return Object.assign(state, { port: (server.address() as AddressInfo).port });
}

function redirect(res: http.ServerResponse, location: string, status = 302): void {
  res.writeHead(status, { location });
  res.end();
}

function zoomHandler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const path = req.url ?? '';
  const chain = /^\/chain\/(\d+)$/.exec(path);
  if (chain) {
    const n = Number(chain[1]);
    return n >= 6 ? void res.end('end of chain') : redirect(res, `/chain/${n + 1}`);
  }
  switch (path) {
    case '/rec/ok':
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': '5' });
      return void res.end('hello');
    case '/rec/to-storage':
      return redirect(res, `http://127.0.0.1:${storage.port}/signed?Signature=s3cr3t`);
    case '/rec/relative':
      return redirect(res, '/rec/ok', 307);
    case '/rec/to-decoy-ip':
      return redirect(res, `http://127.0.0.2:${decoy.port}/metadata`);
    case '/rec/to-decoy-localhost':
      return redirect(res, `http://localhost:${decoy.port}/metadata`);
    case '/rec/no-location':
      res.writeHead(302);
      return void res.end();
    case '/rec/503':
      res.writeHead(503, { 'retry-after': '7' });
      return void res.end('busy');
    case '/rec/401':
    case '/rec/404':
    case '/rec/429':
    case '/rec/418':
      res.writeHead(Number(path.slice(5)), { 'content-type': 'application/json' });
      return void res.end('{"code":124,"message":"Invalid access token."}');
    case '/rec/truncated':
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': '100000' });
      res.write(Buffer.alloc(1000, 1), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    case '/rec/stall-head':
      return; // never answers
    case '/rec/stall-body':
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': '10' });
      res.write('abc');
      return; // never finishes
    default:
      res.writeHead(404);
      res.end();
  }
}

function options(overrides: Partial<ZoomDownloadOptions> = {}): ZoomDownloadOptions {
  return { bearerToken: TOKEN, allow, maxRedirects: 5, idleTimeoutMs: 300, ...overrides };
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

const zoomUrl = (path: string): string => `http://127.0.0.1:${zoom.port}${path}`;

beforeAll(async () => {
  zoom = await startServer(zoomHandler, '127.0.0.1');
  storage = await startServer((_req, res) => res.end('stored bytes'), '127.0.0.1');
  // On every loopback address, IPv4 and IPv6, so a guard failure would really reach it.
  decoy = await startServer((_req, res) => res.end('secret'), '::').catch(() => startServer((_req, res) => res.end('secret'), '0.0.0.0'));
  const spare = await startServer(() => undefined, '127.0.0.1');
  closedPort = spare.port;
  await new Promise((resolve) => spare.server.close(resolve));
  // The decoy's port is listed for 127.0.0.1 on purpose: neither localhost nor 127.0.0.2 may use it.
  allow = parseAllowList([zoom, storage, decoy].map((s) => `http://127.0.0.1:${s.port}`).concat(`http://127.0.0.1:${closedPort}`));
});

afterAll(async () => {
  for (const { server } of [zoom, storage, decoy]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

beforeEach(() => {
  for (const s of [zoom, storage, decoy]) {
    s.seen.length = 0;
    s.connections = 0;
  }
});

describe('openZoomDownload', () => {
  it('streams the file and sends the token to Zoom', async () => {
    const opened = await openZoomDownload(zoomUrl('/rec/ok'), options());
    expect(opened).toMatchObject({ status: 200, contentType: 'video/mp4', contentLength: 5, redirects: 0 });
    expect((await readAll(opened.body)).toString()).toBe('hello');
    expect(zoom.seen).toEqual([{ path: '/rec/ok', authorization: `Bearer ${TOKEN}` }]);
  });

  it('follows the redirect to signed storage without forwarding the token', async () => {
    const opened = await openZoomDownload(zoomUrl('/rec/to-storage'), options());
    expect(opened.redirects).toBe(1);
    expect((await readAll(opened.body)).toString()).toBe('stored bytes');
    expect(zoom.seen).toEqual([{ path: '/rec/to-storage', authorization: `Bearer ${TOKEN}` }]);
    expect(storage.seen).toEqual([{ path: '/signed?Signature=s3cr3t', authorization: undefined }]);
  });

  it('resolves a relative Location and keeps the token on Zoom’s own origin', async () => {
    const opened = await openZoomDownload(zoomUrl('/rec/relative'), options());
    expect((await readAll(opened.body)).toString()).toBe('hello');
    expect(zoom.seen.map((s) => s.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
  });

  it.each([
    ['/rec/to-decoy-ip', 'host 127.0.0.2 is not in ZOOM_DOWNLOAD_HOSTS'],
    ['/rec/to-decoy-localhost', 'host localhost is not in ZOOM_DOWNLOAD_HOSTS'],
  ])('refuses a redirect (%s) to a host that is not listed, without connecting', async (path, reason) => {
    const error = await failureOf(openZoomDownload(zoomUrl(path), options()));
    expect(error).toBeInstanceOf(DownloadRefused);
    expect((error as DownloadRefused).reason).toBe(reason);
    expect(decoy.connections).toBe(0);
    expect(decoy.seen).toEqual([]);
  });

  it('refuses a name that resolves to loopback unless an http:// entry names it', async () => {
    const httpsByName = parseAllowList([`localhost:${decoy.port}`]);
    const error = await failureOf(openZoomDownload(`https://localhost:${decoy.port}/x`, options({ allow: httpsByName })));
    expect(error).toBeInstanceOf(DownloadRefused);
    expect((error as DownloadRefused).reason).toMatch(/^localhost resolves to a refused address: address .* is loopback/);
    expect(decoy.connections).toBe(0);

    const httpByName = parseAllowList([`http://localhost:${zoom.port}`]);
    const opened = await openZoomDownload(`http://localhost:${zoom.port}/rec/ok`, options({ allow: httpByName }));
    expect((await readAll(opened.body)).toString()).toBe('hello');
  });

  it('refuses the first URL when it is not allowed, before any request', async () => {
    const error = await failureOf(openZoomDownload(`http://127.0.0.2:${decoy.port}/rec`, options()));
    expect(error).toBeInstanceOf(DownloadRefused);
    expect(decoy.connections).toBe(0);
  });

  it('refuses a sixth redirect when five are allowed, and follows six when six are', async () => {
    const error = await failureOf(openZoomDownload(zoomUrl('/chain/0'), options({ maxRedirects: 5 })));
    expect(error).toBeInstanceOf(DownloadRefused);
    expect((error as DownloadRefused).reason).toBe('more than 5 redirects');
    expect(zoom.seen.map((s) => s.path)).not.toContain('/chain/6');

    const opened = await openZoomDownload(zoomUrl('/chain/0'), options({ maxRedirects: 6 }));
    expect(opened.redirects).toBe(6);
    await readAll(opened.body);
  });

  it('rejects a redirect without a Location', async () => {
    await expect(openZoomDownload(zoomUrl('/rec/no-location'), options())).rejects.toBeInstanceOf(DownloadRejected);
  });

  it('treats 503 and 429 as transient, keeping Retry-After', async () => {
    const error = await failureOf(openZoomDownload(zoomUrl('/rec/503'), options()));
    expect(error).toBeInstanceOf(DownloadTransient);
    expect(error).toMatchObject({ status: 503, retryAfterMs: 7000 });
    await expect(openZoomDownload(zoomUrl('/rec/429'), options())).rejects.toBeInstanceOf(DownloadTransient);
  });

  it('reports 401 from Zoom as a refused token', async () => {
    const error = await failureOf(openZoomDownload(zoomUrl('/rec/401'), options()));
    expect(error).toBeInstanceOf(DownloadTokenRejected);
    expect(error.message).not.toContain(TOKEN);
  });

  it('rejects 404 and unexpected statuses for good', async () => {
    const error = await failureOf(openZoomDownload(zoomUrl('/rec/404'), options()));
    expect(error).toBeInstanceOf(DownloadRejected);
    expect((error as DownloadRejected).reason).toBe('127.0.0.1 answered 404');
    await expect(openZoomDownload(zoomUrl('/rec/418'), options())).rejects.toBeInstanceOf(DownloadRejected);
  });

  it('reports a refused connection as transient', async () => {
    const error = await failureOf(openZoomDownload(`http://127.0.0.1:${closedPort}/rec`, options()));
    expect(error).toBeInstanceOf(DownloadTransient);
    expect((error as DownloadTransient).reason).toBe('network error ECONNREFUSED talking to 127.0.0.1');
  });

  it('fails the body with DownloadTransient when the connection drops mid-file', async () => {
    const opened = await openZoomDownload(zoomUrl('/rec/truncated'), options());
    expect(opened.contentLength).toBe(100000);
    const error = await failureOf(readAll(opened.body));
    expect(error).toBeInstanceOf(DownloadTransient);
    expect((error as DownloadTransient).reason).toBe('connection to 127.0.0.1 dropped after 1000 of 100000 bytes');
  });

  it('gives up on a host that never answers within the idle timeout', async () => {
    const started = process.hrtime.bigint();
    const error = await failureOf(openZoomDownload(zoomUrl('/rec/stall-head'), options({ idleTimeoutMs: 300 })));
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    expect(error).toBeInstanceOf(DownloadTransient);
    expect((error as DownloadTransient).reason).toBe('download stalled: no byte from 127.0.0.1 for 300 ms');
    expect(elapsedMs).toBeGreaterThanOrEqual(250);
    expect(elapsedMs).toBeLessThan(1500);
  });

  it('fails the body when bytes stop coming mid-file', async () => {
    const opened = await openZoomDownload(zoomUrl('/rec/stall-body'), options({ idleTimeoutMs: 300 }));
    const error = await failureOf(readAll(opened.body));
    expect(error).toBeInstanceOf(DownloadTransient);
    expect((error as DownloadTransient).reason).toMatch(/^download stalled/);
  });

  it('stops when the caller aborts, before or during the body', async () => {
    const early = new AbortController();
    early.abort();
    expect((await failureOf(openZoomDownload(zoomUrl('/rec/ok'), options({ signal: early.signal })))).name).toBe('AbortError');

    const late = new AbortController();
    const opened = await openZoomDownload(zoomUrl('/rec/stall-body'), options({ idleTimeoutMs: 2000, signal: late.signal }));
    setTimeout(() => late.abort(), 20);
    const error = await failureOf(readAll(opened.body));
    expect(error.name).toBe('AbortError');
  });

  it('keeps the path, query and token out of every reason', async () => {
    const failures = await Promise.all(
      ['/rec/401', '/rec/404', '/rec/503', '/rec/to-decoy-ip', '/rec/stall-head'].map((p) =>
        failureOf(openZoomDownload(zoomUrl(`${p}`), options())),
      ),
    );
    for (const error of failures) expect(error.message).not.toMatch(/\/rec|s3cr3t|download-token/);
  });
});
