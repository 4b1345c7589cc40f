// The embedded S3 server (s3rver) alone in its own process, so a benchmark's client and the
// service's worker reach it the same way and its CPU is measured apart from theirs.
//   PORT=4600 S3_DATA_DIR=/tmp/x S3_BUCKET=recordings node dist/bench/s3-server.js   → prints "ready <port>"
import { EmbeddedS3Server } from '@lib/storage';

const server = new EmbeddedS3Server({
  port: Number(process.env.PORT ?? 0),
  dataDir: process.env.S3_DATA_DIR ?? '.data/bench-s3',
  bucket: process.env.S3_BUCKET ?? 'recordings',
});
server.start().then(
  (endpoint) => process.stdout.write(`ready ${new URL(endpoint).port}\n`),
  (error: Error) => {
    process.stderr.write(`s3 server failed to start: ${error.message}\n`);
    process.exit(1);
  },
);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void server.stop().finally(() => process.exit(0)));
