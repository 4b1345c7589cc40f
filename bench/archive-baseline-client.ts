// The archive benchmark's baseline, run as its own child process by bench/archive-throughput.ts
// (so it gets a core of its own, as the service's worker does): a plain `fetch` (undici, Node's
// global fetch) of a signed storage URL streamed into `@aws-sdk/lib-storage` Upload with the
// service's part size and queue size. No metering, hashing or probing. Prints one JSON line.
//
//   BENCH_BASELINE='{"url":…,"endpoint":…,"bucket":…,"key":…,"partSize":8388608,"queueSize":4}' \
//     node dist/bench/archive-baseline-client.js
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

interface BaselineConfig {
  url: string;
  endpoint: string;
  bucket: string;
  key: string;
  partSize: number;
  queueSize: number;
  contentType: string;
}

function procStatusBytes(field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Number(new RegExp(`^${field}:\\s*(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_BASELINE ?? '') as BaselineConfig;
  const client = new S3Client({
    endpoint: config.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const startRssBytes = procStatusBytes('VmRSS');
  const started = performance.now();
  const response = await fetch(config.url);
  if (!response.ok || !response.body) throw new Error(`storage answered HTTP ${response.status}`);
  const body = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
  const upload = new Upload({
    client,
    params: { Bucket: config.bucket, Key: config.key, Body: body, ContentType: config.contentType },
    partSize: config.partSize,
    queueSize: config.queueSize,
    leavePartsOnError: false,
  });
  await upload.done();
  const head = await client.send(new HeadObjectCommand({ Bucket: config.bucket, Key: config.key }));
  const ms = performance.now() - started;
  client.destroy();
  process.stdout.write(`${JSON.stringify({ bytes: Number(head.ContentLength ?? 0), ms, startRssBytes, peakRssBytes: procStatusBytes('VmHWM') })}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`archive-baseline-client: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
