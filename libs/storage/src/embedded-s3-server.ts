import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { IncompleteUpload } from './object-store';

// s3rver ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');

/** s3rver keeps unfinished multipart uploads in this folder of the bucket, one folder per upload. */
const UPLOADS_DIR = '._S3rver_uploads';

export interface EmbeddedS3Options {
  port: number;
  dataDir: string;
  bucket: string;
}

/**
 * The embedded local S3 server used when S3_ENDPOINT is unset. Listens on loopback only. When the
 * port is already served by another of our processes (RUN_MODE=api and RUN_MODE=worker side by
 * side), that server is joined instead. Because we know its folder, unfinished multipart uploads,
 * which s3rver cannot list or abort through the API, can be listed and removed on disk.
 */
export class EmbeddedS3Server {
  private server: { close(): Promise<void> } | null = null;
  private boundPort = 0;

  constructor(private readonly options: EmbeddedS3Options) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  get dataDir(): string {
    return path.resolve(this.options.dataDir);
  }

  async start(): Promise<string> {
    const { port } = this.options;
    if (port !== 0 && (await isPortServed(port))) {
      this.boundPort = port;
      return this.endpoint;
    }
    await fs.mkdir(this.dataDir, { recursive: true });
    const server = new S3rver({
      address: '127.0.0.1',
      port,
      directory: this.dataDir,
      silent: true,
      configureBuckets: [{ name: this.options.bucket }],
    });
    const address: { port: number } = await server.run();
    this.server = server;
    this.boundPort = address.port;
    return this.endpoint;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await server.close();
  }

  async listIncompleteUploads(bucket: string, prefix = ''): Promise<IncompleteUpload[]> {
    const dir = path.join(this.dataDir, bucket, UPLOADS_DIR);
    let ids: string[];
    try {
      ids = await fs.readdir(dir);
    } catch {
      return [];
    }
    const uploads: IncompleteUpload[] = [];
    for (const uploadId of ids) {
      try {
        const key = (await fs.readFile(path.join(dir, uploadId, 'key'))).toString();
        const stat = await fs.stat(path.join(dir, uploadId));
        if (key.startsWith(prefix)) uploads.push({ key, uploadId, initiatedAt: stat.birthtime.getTime() ? stat.birthtime : stat.mtime });
      } catch {
        // Completed or removed while we looked.
      }
    }
    return uploads;
  }

  async abortUpload(bucket: string, uploadId: string): Promise<void> {
    if (!/^[0-9a-f]+$/i.test(uploadId)) return;
    await fs.rm(path.join(this.dataDir, bucket, UPLOADS_DIR, uploadId), { recursive: true, force: true });
  }
}

function isPortServed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
