import { createHash } from 'node:crypto';
import { PassThrough, Readable, Transform } from 'node:stream';
import { IncompleteUpload, ObjectHead, ObjectPage, ObjectStore, PutObjectOptions } from './object-store';
import { StorageUnavailable } from './storage-errors';
import { putVerified, StreamMeter } from './stored-stream';

/** Keeps objects in memory; like the S3 adapter, a failed put leaves nothing. */
class MemoryStore extends ObjectStore {
  objects = new Map<string, Buffer>();
  /** Bytes the next head reports differently (a storage that lost some). */
  shortBy = 0;
  async put(key: string, body: Readable, _options: PutObjectOptions): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    this.objects.set(key, Buffer.concat(chunks));
  }
  async head(key: string): Promise<ObjectHead | null> {
    const o = this.objects.get(key);
    return o ? { size: o.length - this.shortBy, contentType: null } : null;
  }
  async read(key: string): Promise<Readable> {
    return Readable.from([this.objects.get(key)!]);
  }
  async deleteMany(keys: string[]): Promise<void> {
    for (const k of keys) this.objects.delete(k);
  }
  async listKeys(): Promise<string[]> {
    return [...this.objects.keys()];
  }
  async listPage(): Promise<ObjectPage> {
    return { objects: [], next: null };
  }
  async listIncompleteUploads(): Promise<IncompleteUpload[]> {
    return [];
  }
  async abortUpload(): Promise<void> {}
  async checkReady(): Promise<void> {}
}

const bytes = Buffer.from('x'.repeat(5000));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
class TooLarge extends Error {}

describe('putVerified: stream to storage and verify', () => {
  it('stores the bytes and returns their sha256 and size', async () => {
    const store = new MemoryStore();
    const out = await putVerified(store, 'k', Readable.from([bytes.subarray(0, 100), bytes.subarray(100)]), { contentType: 'video/mp4' });
    expect(out).toEqual({ sha256: sha(bytes), size: bytes.length });
    expect(store.objects.get('k')!.equals(bytes)).toBe(true);
  });

  it('refuses a stream past its maximum size with the caller\'s error', async () => {
    const store = new MemoryStore();
    const put = putVerified(store, 'k', Readable.from([bytes]), { contentType: 'image/png', maxBytes: 4999, tooLarge: () => new TooLarge() });
    await expect(put).rejects.toBeInstanceOf(TooLarge);
  });

  it("passes the bytes through the caller's stages (a probe tap) after the meter", async () => {
    let seen = 0;
    const tap = new Transform({ transform: (chunk: Buffer, _e, cb) => ((seen += chunk.length), cb(null, chunk)) });
    await putVerified(new MemoryStore(), 'k', Readable.from([bytes]), { contentType: 'video/mp4', stages: [tap] });
    expect(seen).toBe(bytes.length);
  });

  it("reports the source's error, not the storage error it causes", async () => {
    const store = new MemoryStore();
    store.put = async () => {
      throw new StorageUnavailable('upload aborted');
    };
    const source = new PassThrough();
    setImmediate(() => source.destroy(new TooLarge('download refused')));
    await expect(putVerified(store, 'k', source, { contentType: 'video/mp4' })).rejects.toBeInstanceOf(TooLarge);
  });

  it('fails, retryably, when storage holds a different number of bytes than were sent', async () => {
    const store = new MemoryStore();
    store.shortBy = 1;
    const put = putVerified(store, 'k', Readable.from([bytes]), { contentType: 'video/mp4' });
    await expect(put).rejects.toBeInstanceOf(StorageUnavailable);
    await expect(put).rejects.toThrow(`stored object has ${bytes.length - 1} bytes, ${bytes.length} were sent`);
  });

  it('drains, rather than destroys, a request body past its limit (so the client still reads the 413)', async () => {
    const body = new PassThrough();
    const put = putVerified(new MemoryStore(), 'k', body, { contentType: 'image/png', maxBytes: 10, tooLarge: () => new TooLarge(), drainSourceOnError: true });
    body.write(Buffer.alloc(20));
    await expect(put).rejects.toBeInstanceOf(TooLarge);
    body.end(Buffer.alloc(1000));
    await new Promise((resolve) => body.once('end', resolve));
    expect(body.errored).toBeNull();
  });
});

describe('StreamMeter', () => {
  it('counts and hashes what passes', async () => {
    const meter = new StreamMeter();
    for await (const _chunk of Readable.from([bytes]).pipe(meter)) void _chunk;
    expect(meter.bytes).toBe(bytes.length);
    expect(meter.sha256).toBe(sha(bytes));
  });
});
