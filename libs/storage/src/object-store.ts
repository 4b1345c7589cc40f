import { Readable } from 'node:stream';

export interface PutObjectOptions {
  contentType: string;
  /** Bytes expected, when known: sizes multipart parts so even multi-GB files stay under 10,000 parts. */
  expectedSize?: number | null;
  /** Object tags (retention class, expiry), set after the upload since some servers drop them on PUT. */
  tags?: Record<string, string>;
}

export interface ObjectHead {
  size: number;
  contentType: string | null;
}

export interface ListedObject {
  key: string;
  lastModified: Date;
  size: number;
}

/** One page of a bucket listing; `next` continues it (null: the last page). */
export interface ObjectPage {
  objects: ListedObject[];
  next: string | null;
}

export interface IncompleteUpload {
  key: string;
  uploadId: string;
  initiatedAt: Date;
}

/**
 * The private bucket. The only door to object storage: services never see an S3 client, and
 * nothing here ever produces a URL for an object. Every method throws a `StorageError`
 * (storage-errors.ts) whose type says whether another attempt can help.
 */
export abstract class ObjectStore {
  /** Streams `body` into the object (multipart for large bodies). Aborts the upload on any failure. */
  abstract put(key: string, body: Readable, options: PutObjectOptions): Promise<void>;
  abstract head(key: string): Promise<ObjectHead | null>;
  abstract read(key: string, range?: { start: number; end?: number }): Promise<Readable>;
  /**
   * Deletes the keys (batches of at most 1000) and returns once storage has confirmed every key
   * gone (S3 answers per key; missing keys count as gone). Throws otherwise.
   */
  abstract deleteMany(keys: string[]): Promise<void>;
  abstract listKeys(prefix: string): Promise<string[]>;
  /** One page of the objects under `prefix` (the reconciler walks the whole bucket this way). */
  abstract listPage(prefix: string, token: string | null, limit?: number): Promise<ObjectPage>;
  abstract listIncompleteUploads(prefix?: string): Promise<IncompleteUpload[]>;
  abstract abortUpload(upload: IncompleteUpload): Promise<void>;
  /** Throws when the bucket cannot be reached (readiness). */
  abstract checkReady(): Promise<void>;
}
