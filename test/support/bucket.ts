import { GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { ANCHOR_PREFIX } from '@lib/audit';
import { createS3Client } from '@lib/storage';
import { ServiceHarness } from './harness';

/** Reading the suite's embedded S3 bucket: objects, tags, hashes, and what s3rver keeps on disk. */

export const BUCKET = 'recordings';

export function s3Of(harness: ServiceHarness): S3Client {
  return createS3Client(harness.config, harness.s3.endpoint);
}

export async function objectExists(s3: S3Client, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

export async function objectTags(s3: S3Client, key: string): Promise<Record<string, string>> {
  const out = await s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: key }));
  return Object.fromEntries((out.TagSet ?? []).map((t) => [t.Key!, t.Value!]));
}

/** Every key under `prefix/` (all pages), sorted. */
export async function objectKeys(s3: S3Client, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${prefix}/`, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key as string));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

export async function sha256Stream(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function objectSha256(s3: S3Client, key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return sha256Stream(object.Body as Readable);
}

/**
 * The bucket as s3rver keeps it on disk: every object, and every unfinished multipart upload (by
 * the key it is for). Reading the folder, not the API, shows what was ever written there. The audit
 * trail's anchors (`a/`, written by the sealer whenever it runs) are not recording data and are left
 * out; the audit suites read them with the S3 client.
 */
export async function bucketFolderKeys(s3Dir: string, bucket = BUCKET): Promise<string[]> {
  const root = path.join(s3Dir, bucket);
  const keys = new Set<string>();
  let entries: string[];
  try {
    entries = (await readdir(root, { recursive: true })) as string[];
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (entry.endsWith('._S3rver_object')) keys.add(entry.slice(0, -'._S3rver_object'.length).split(path.sep).join('/'));
    else if (entry.startsWith('._S3rver_uploads') && entry.endsWith(`${path.sep}key`)) {
      keys.add((await readFile(path.join(root, entry)).catch(() => Buffer.from(''))).toString());
    }
  }
  keys.delete('');
  return [...keys].filter((k) => !k.startsWith(ANCHOR_PREFIX)).sort();
}

/** Watches the bucket folder while something runs: every key that ever appears, even briefly. */
export class BucketWatch {
  readonly seen = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private scanning: Promise<void> = Promise.resolve();

  constructor(private readonly s3Dir: string) {}

  start(): this {
    this.timer = setInterval(() => {
      this.scanning = this.scanning.then(async () => {
        for (const key of await bucketFolderKeys(this.s3Dir)) this.seen.add(key);
      });
    }, 15);
    return this;
  }

  async stop(): Promise<Set<string>> {
    if (this.timer) clearInterval(this.timer);
    await this.scanning;
    for (const key of await bucketFolderKeys(this.s3Dir)) this.seen.add(key);
    return this.seen;
  }
}

/**
 * Counts, per key, the objects the embedded S3 server really removed (it removes only keys that
 * exist). Every process of the suite joins this one server, so this sees all their deletions.
 */
export function countDeletions(harness: ServiceHarness): Map<string, number> {
  const store = (harness.s3 as unknown as { server: { store: { deleteObject(bucket: string, key: string): Promise<void> } } }).server.store;
  const counts = new Map<string, number>();
  const original = store.deleteObject.bind(store);
  store.deleteObject = async (bucket: string, key: string) => {
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return original(bucket, key);
  };
  return counts;
}
