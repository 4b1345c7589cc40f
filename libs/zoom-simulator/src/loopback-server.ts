import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * A plain http server bound to loopback that remembers its sockets, so `stop()` can end
 * keep-alive and deliberately stalled connections at once (otherwise jest never exits).
 */
export class LoopbackServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    handler: RequestHandler,
    private readonly host = '127.0.0.1',
    private readonly port = 0,
  ) {
    this.server = createServer((req, res) => {
      Promise.resolve(handler(req, res)).catch((err: Error) => {
        if (!res.headersSent) sendJson(res, 500, { code: 500, message: err.message });
        else res.destroy(err);
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  start(): Promise<void> {
    if (this.server.listening) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, this.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  stop(): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** `http://127.0.0.1:PORT`, exactly as an allow-list entry must spell it. */
  get origin(): string {
    const address = this.server.address() as AddressInfo | null;
    if (!address) throw new Error('server not started');
    return `http://${this.host}:${address.port}`;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Splits a request target into its raw (still percent-encoded) path and its query. */
export function splitTarget(rawUrl: string | undefined): { rawPath: string; query: URLSearchParams } {
  const target = rawUrl ?? '/';
  const q = target.indexOf('?');
  return q < 0
    ? { rawPath: target, query: new URLSearchParams() }
    : { rawPath: target.slice(0, q), query: new URLSearchParams(target.slice(q + 1)) };
}
