import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { ObjectStore, readWhole } from '@lib/storage';

/** A stored text file larger than analysis reads: recorded as malformed, never half-read. */
export class SourceTooLarge extends Error {
  override readonly name = 'SourceTooLarge';
  constructor(limit: number) {
    super(`the file is larger than ${limit} bytes`);
  }
}

/** A stored transcript, chat log or timeline as text (UTF-8), refusing anything over `maxBytes`. */
export async function readStoredText(store: ObjectStore, key: string, maxBytes: number): Promise<string> {
  return (await readWhole(store, key, { maxBytes, tooLarge: () => new SourceTooLarge(maxBytes) })).toString('utf8');
}

/** A stored track copied to a local file (ffmpeg seeks in MP4/M4A: the index may sit at the end). */
export async function copyStoredFile(store: ObjectStore, key: string, path: string): Promise<void> {
  await pipeline(await store.read(key), createWriteStream(path, { mode: 0o600 }));
}
