import { TransformCallback } from 'node:stream';
import { StreamMeter } from '@lib/storage';
import { DownloadRejected, DownloadTransient, looksLikeErrorPage } from './download';

const SNIFF_BYTES = 512;

export interface MeterOptions {
  expectedSize: number | null;
  contentType: string | null;
  /** The file itself is JSON (a timeline), so JSON is not by itself an error page. */
  expectJson: boolean;
}

/**
 * Sits between the download and storage: counts bytes and hashes them on the way (the storage
 * lib's one byte meter, `StreamMeter`), refuses an
 * error page served with 200 before a byte of it is stored, and refuses more (or, at the end,
 * fewer) bytes than Zoom announced.
 */
export class ByteMeter extends StreamMeter {
  private head: Buffer[] = [];
  private headBytes = 0;
  private sniffed = false;

  constructor(private readonly options: MeterOptions) {
    super();
  }

  _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.count(chunk);
    const { expectedSize } = this.options;
    if (expectedSize !== null && this.bytes > expectedSize) {
      // An error page that happens to be longer than a small file is still an error page: say so.
      if (!this.sniffed) {
        this.head.push(chunk);
        const problem = this.sniff();
        if (problem) return callback(problem);
      }
      return callback(new DownloadRejected(`download is larger than the ${expectedSize} bytes Zoom announced`));
    }
    if (this.sniffed) return callback(null, chunk);
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes < SNIFF_BYTES) return callback();
    this.releaseHead(callback);
  }

  _flush(callback: TransformCallback): void {
    if (!this.sniffed) {
      const problem = this.sniff();
      if (problem) return callback(problem);
      if (this.headBytes > 0) this.push(Buffer.concat(this.head));
      this.head = [];
    }
    const { expectedSize } = this.options;
    if (expectedSize !== null && this.bytes !== expectedSize) {
      // A clean end with bytes missing: a truncated transfer, worth another try.
      return callback(new DownloadTransient(`download ended after ${this.bytes} of ${expectedSize} bytes`));
    }
    callback();
  }

  private releaseHead(callback: TransformCallback): void {
    const problem = this.sniff();
    if (problem) return callback(problem);
    const head = Buffer.concat(this.head);
    this.head = [];
    callback(null, head);
  }

  private sniff(): DownloadRejected | null {
    this.sniffed = true;
    const reason = looksLikeErrorPage(Buffer.concat(this.head).subarray(0, SNIFF_BYTES), this.options.contentType, this.options.expectJson);
    return reason ? new DownloadRejected(reason) : null;
  }
}
