import archiver from 'archiver';
import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';

export interface ArchivedFile {
  path: string;
  sha256: string;
  bytes: number;
}

/**
 * One export's ZIP, written as a stream (issue 14 item 5: no whole-archive buffering): entries go in
 * one at a time — the next is not opened until the last is written, so a thousand sessions' audio
 * never holds a thousand downloads open — each hashed on its way in, for `manifest.json`.
 * `output` is the archive's bytes, for the caller to store.
 */
export class ExportArchive {
  readonly output: archiver.Archiver;
  readonly files: ArchivedFile[] = [];
  private failure: Error | null = null;

  constructor() {
    // Audio is already compressed; text compresses well: level 6 is zlib's default trade.
    this.output = archiver('zip', { zlib: { level: 6 } });
    this.output.on('error', (error) => (this.failure = error));
    this.output.on('warning', (error) => (this.failure = error));
  }

  /** Adds an entry and resolves once it is in the archive. */
  async add(path: string, content: Buffer | Readable): Promise<ArchivedFile> {
    if (this.failure) throw this.failure;
    const hash = createHash('sha256');
    let bytes = 0;
    // Hashed as archiver reads it: nothing flows before the entry's turn comes.
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    const written = new Promise<void>((resolve, reject) => {
      const onEntry = (entry: { name: string }) => {
        if (entry.name !== path) return;
        this.output.off('entry', onEntry);
        resolve();
      };
      this.output.on('entry', onEntry);
      this.output.once('error', reject);
      if (!Buffer.isBuffer(content)) content.once('error', reject);
    });
    if (Buffer.isBuffer(content)) counted.end(content);
    else content.pipe(counted);
    this.output.append(counted, { name: path, date: new Date(0) });
    await written;
    const file = { path, sha256: hash.digest('hex'), bytes };
    this.files.push(file);
    return file;
  }

  async finish(): Promise<void> {
    if (this.failure) throw this.failure;
    await this.output.finalize();
  }

  abort(): void {
    this.output.abort();
  }
}
