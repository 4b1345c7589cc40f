import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DownloadRejected } from './download-errors';
import { parseAllowList } from './download-guard';
import { openZoomDownload } from './zoom-download';

/**
 * Files Zoom lists without `file_size` (CC, TIMELINE) have no announced size to hold the download
 * to: a byte cap bounds them instead, while streaming (issue 11 A.11).
 */
describe('byte cap for downloads of unannounced size', () => {
  let server: http.Server;
  let base = '';
  let bytesSent = 0;
  const CAP = 64 * 1024;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/announced-too-big') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(CAP + 1) });
        return void res.end(Buffer.alloc(CAP + 1, 0x20));
      }
      if (req.url === '/within') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(Buffer.alloc(CAP, 0x20));
      }
      // Chunked, no Content-Length, and it never ends on its own: only the cap stops it.
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) bytesSent += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const open = (path: string, maxBytes?: number) =>
    openZoomDownload(`${base}${path}`, { allow: parseAllowList([base]), maxRedirects: 0, idleTimeoutMs: 5000, maxBytes });

  async function drain(body: NodeJS.ReadableStream): Promise<number> {
    let n = 0;
    for await (const chunk of body) n += (chunk as Buffer).length;
    return n;
  }

  it('fails a body that keeps going past the cap, as a permanent rejection, and drops the connection', async () => {
    const download = await open('/endless', CAP);
    await expect(drain(download.body)).rejects.toThrow(new DownloadRejected(`download is larger than the ${CAP} bytes allowed for a file whose size Zoom does not announce`));
    const sentAtFailure = bytesSent;
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The server stops being read: at most what sat in socket buffers went out after the failure.
    expect(bytesSent - sentAtFailure).toBeLessThan(4 * 1024 * 1024);
  });

  it('refuses at once when the announced Content-Length is over the cap', async () => {
    await expect(open('/announced-too-big', CAP)).rejects.toBeInstanceOf(DownloadRejected);
  });

  it('passes a body within the cap whole, and applies no cap when none is given', async () => {
    expect(await drain((await open('/within', CAP)).body)).toBe(CAP);
    expect(await drain((await open('/announced-too-big')).body)).toBe(CAP + 1);
  });
});
