import { createHash } from 'node:crypto';
import { Duplex, PassThrough, Readable, Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ObjectStore, PutObjectOptions } from './object-store';
import { StorageUnavailable } from './storage-errors';

export interface MeterOptions {
  /** Refuse the stream once it passes this many bytes. */
  maxBytes?: number | null;
  /** The error a stream past `maxBytes` fails with (the caller's domain error: 413, a refused download). */
  tooLarge?: (maxBytes: number) => Error;
}

/**
 * The one byte meter: counts and hashes what passes, and refuses more than `maxBytes` before the
 * extra chunk goes on. Subclasses (a download's content checks) call `count` from their own
 * `_transform`.
 */
export class StreamMeter extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');

  constructor(private readonly meterOptions: MeterOptions = {}) {
    super();
  }

  get sha256(): string {
    return this.hash.copy().digest('hex');
  }

  /** Counts and hashes `chunk`; the limit error when it takes the stream past `maxBytes`. */
  protected count(chunk: Buffer): Error | null {
    this.bytes += chunk.length;
    const max = this.meterOptions.maxBytes;
    if (max !== null && max !== undefined && this.bytes > max) {
      return this.meterOptions.tooLarge ? this.meterOptions.tooLarge(max) : new Error(`stream is larger than ${max} bytes`);
    }
    this.hash.update(chunk);
    return null;
  }

  _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const problem = this.count(chunk);
    if (problem) return callback(problem);
    callback(null, chunk);
  }
}

export interface PutVerifiedOptions extends PutObjectOptions, MeterOptions {
  /** A meter of the caller's (e.g. one that also checks a download's content); default a plain one. */
  meter?: StreamMeter;
  /** Stages after the meter, before storage (an ffprobe tap). */
  stages?: Duplex[];
  /**
   * Feed the source in by hand and, on failure, drain it instead of destroying it: an HTTP request
   * body past its limit is read to the end so the client still gets the 413.
   */
  drainSourceOnError?: boolean;
}

export interface VerifiedObject {
  sha256: string;
  size: number;
}

/**
 * Streams `source` into the object `key` while counting and hashing it, then checks that storage
 * holds exactly the bytes sent. The source side's error wins over storage's (a refused download
 * makes the upload fail too; the refusal is the cause). Never a whole file in memory.
 */
export async function putVerified(store: ObjectStore, key: string, source: Readable, options: PutVerifiedOptions): Promise<VerifiedObject> {
  const { meter: given, stages = [], drainSourceOnError, maxBytes, tooLarge, ...put } = options;
  const meter = given ?? new StreamMeter({ maxBytes, tooLarge });
  const toStorage = new PassThrough();
  let flowing: Promise<void>;
  if (drainSourceOnError) {
    source.on('error', (error) => meter.destroy(error));
    source.pipe(meter);
    flowing = pipeline([meter, ...stages, toStorage]).catch((error: unknown) => {
      source.unpipe(meter);
      source.resume();
      throw error;
    });
  } else {
    flowing = pipeline([source, meter, ...stages, toStorage]);
  }
  const upload = store.put(key, toStorage, put);
  const [flow, stored] = await Promise.allSettled([flowing, upload]);
  if (flow.status === 'rejected') throw flow.reason;
  if (stored.status === 'rejected') throw stored.reason;
  const head = await store.head(key);
  if (!head || head.size !== meter.bytes) {
    throw new StorageUnavailable(`stored object has ${head?.size ?? 'no'} bytes, ${meter.bytes} were sent`);
  }
  return { sha256: meter.sha256, size: meter.bytes };
}

/**
 * A whole object in memory — for small text only (transcripts, chat logs, consent evidence, audit
 * anchors). Past `maxBytes` the read stops and `tooLarge()` is thrown: never half an object.
 */
export async function readWhole(store: ObjectStore, key: string, options: { maxBytes?: number; tooLarge?: () => Error } = {}): Promise<Buffer> {
  const body = await store.read(key);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (options.maxBytes !== undefined && size > options.maxBytes) {
      body.destroy();
      throw options.tooLarge?.() ?? new Error(`the object is larger than ${options.maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
