import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { loadConfig } from '@lib/config';
import { createS3Client, EmbeddedS3Server, ObjectMissing, S3ObjectStore, StorageUnavailable } from '@lib/storage';
import { freePort } from './support/ports';

/** The S3 adapter against a real S3 server (s3rver): SDK errors come out as storage errors. */
describe('S3 object store against a real S3 server', () => {
  let dir: string;
  let server: EmbeddedS3Server;
  let store: S3ObjectStore;
  const config = loadConfig({ NODE_ENV: 'test' });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rec-s3-adapter-'));
    server = new EmbeddedS3Server({ port: await freePort(), dataDir: dir, bucket: 'recordings' });
    await server.start();
    store = new S3ObjectStore({ client: createS3Client(config, server.endpoint), bucket: 'recordings', serverSideEncryption: 'none' });
  });

  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a read of a missing object with ObjectMissing (permanent)', async () => {
    const error = await store.read('r/none/missing.mp4').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectMissing);
    expect((error as ObjectMissing).retryable).toBe(false);
  });

  it('answers any call to a server that does not answer with StorageUnavailable (retryable)', async () => {
    const down = new S3ObjectStore({ client: createS3Client(config, `http://127.0.0.1:${await freePort()}`), bucket: 'recordings', serverSideEncryption: 'none' });
    for (const call of [() => down.checkReady(), () => down.head('k'), () => down.deleteMany(['k']), () => down.listPage('', null)]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageUnavailable);
      expect((error as StorageUnavailable).retryable).toBe(true);
    }
  });

  it('lists the bucket a page at a time with each object\'s time and size', async () => {
    for (const name of ['a', 'b', 'c']) await store.put(`p/${name}`, Readable.from([Buffer.from(name.repeat(3))]), { contentType: 'text/plain' });
    const first = await store.listPage('p/', null, 2);
    expect(first.objects.map((o) => o.key)).toEqual(['p/a', 'p/b']);
    expect(first.objects[0].size).toBe(3);
    expect(first.objects[0].lastModified).toBeInstanceOf(Date);
    expect(first.next).not.toBeNull();
    const second = await store.listPage('p/', first.next, 2);
    expect(second).toEqual({ objects: [expect.objectContaining({ key: 'p/c' })], next: null });
  });

  it("keeps the body's own error when the body fails during a put", async () => {
    class Refused extends Error {}
    const body = new Readable({ read() {} });
    const put = store.put('p/broken', body, { contentType: 'text/plain' });
    body.push(Buffer.from('some'));
    setImmediate(() => body.destroy(new Refused('download refused')));
    await expect(put).rejects.toBeInstanceOf(Refused);
  });
});
