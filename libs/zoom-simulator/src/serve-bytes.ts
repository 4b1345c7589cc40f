import { createReadStream } from 'node:fs';
import { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/** Where a served file's bytes come from: a file on disk (streamed) or a small in-memory buffer. */
export type ByteSource = { path: string } | { content: Buffer };

/** How one storage response misbehaves: cut or freeze after `limit` bytes, and/or trickle. */
export interface ServePlan {
  limit?: { bytes: number; then: 'drop' | 'stall' };
  bytesPerSecond?: number;
}

const FAST_CHUNK = 1024 * 1024;

/** Throttled bodies go out in ~100 ms slices so a slow download looks like a steady trickle. */
function chunkSize(plan: ServePlan): number {
  if (!plan.bytesPerSecond) return FAST_CHUNK;
  return Math.max(1024, Math.min(64 * 1024, Math.floor(plan.bytesPerSecond / 10)));
}

function openRange(source: ByteSource, start: number, end: number, chunk: number): Readable {
  if ('path' in source) return createReadStream(source.path, { start, end, highWaterMark: chunk });
  const slice = source.content.subarray(start, end + 1);
  return Readable.from(
    (function* slices() {
      for (let at = 0; at < slice.length; at += chunk) yield slice.subarray(at, at + chunk);
    })(),
  );
}

/** Resolves true once the chunk may be followed by another, false when the client went away. */
function write(res: ServerResponse, chunk: Buffer, flushed?: () => void): Promise<boolean> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve(false);
    if (res.write(chunk, flushed)) return resolve(true);
    const done = (ok: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Streams bytes [start, end] of a source into an already-started response, applying the plan.
 * Never buffers more than one chunk, so multi-gigabyte benchmark files are fine.
 */
export async function serveBytes(
  res: ServerResponse,
  source: ByteSource,
  range: { start: number; end: number },
  plan: ServePlan,
  onBytes: (n: number) => void,
): Promise<void> {
  const stream = openRange(source, range.start, range.end, chunkSize(plan));
  res.once('close', () => stream.destroy());
  let sent = 0;
  try {
    for await (const data of stream as AsyncIterable<Buffer>) {
      let chunk = data;
      const limit = plan.limit;
      const last = limit !== undefined && sent + chunk.length >= limit.bytes;
      if (limit && last) chunk = chunk.subarray(0, limit.bytes - sent);
      // A drop resets the connection only once the bytes before it have reached the socket, so the
      // client really receives `limit` bytes; a stall keeps the connection open and silent.
      const drop = last && limit?.then === 'drop' ? () => void res.socket?.destroy() : undefined;
      if (chunk.length === 0 && drop) return drop();
      if (!(await write(res, chunk, drop))) return;
      sent += chunk.length;
      onBytes(chunk.length);
      if (last) return;
      if (plan.bytesPerSecond) await sleep((chunk.length / plan.bytesPerSecond) * 1000);
    }
    res.end();
  } finally {
    stream.destroy();
  }
}

/**
 * A single `Range: bytes=…` header against a size: the inclusive span, 'unsatisfiable', or
 * undefined for no (or a multi-part) range, which signed storage answers with the whole object.
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    return suffix === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  return start >= size || end < start ? 'unsatisfiable' : { start, end };
}
