// 50 concurrent viewers streaming a 5-minute 720p recording at 1 Mb/s through the API (playlist, key, every
// segment), against the same segment bytes fetched straight from the embedded S3 in the same run.
// As in production, the service (RUN_MODE=api, built, NODE_ENV=production) and the S3 server each
// run in their own process; this process only generates the load. The service's RSS is sampled
// from /proc: flat is the goal.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { Client } from 'pg';
import { signDevToken } from '@lib/auth';
import { BUCKET } from '../test/support/bucket';
import { seedRecording, seedStream, StreamSeedTarget } from '../test/support/streams';
import {
  benchId,
  benchServiceEnv,
  createDatabase,
  deleteRedisPrefix,
  describeMachine,
  dropDatabase,
  figure,
  log,
  machineInfo,
  percentile,
  printFigures,
  readProcMemory,
  runBench,
  s3Client,
  SERVICE_MAIN,
  startChild,
  startS3Server,
  writeResults,
} from './support';

const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 50);
const SECONDS = Number(process.env.BENCH_STREAM_SECONDS ?? 300);
/** A Zoom recording's video bitrate: 4 s segments of about half a megabyte, not the test pattern's few kilobytes. */
const VIDEO_BITRATE = process.env.BENCH_VIDEO_BITRATE ?? '1000k';

async function drain(body: Readable | ReadableStream<Uint8Array> | null): Promise<number> {
  let n = 0;
  if (!body) return 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) n += chunk.length;
  return n;
}

/** Every viewer fetches every segment in order; returns per-segment latencies (ms), bytes and wall time. */
async function viewers(fetchSegment: (viewer: number, name: string) => Promise<number>, segments: string[]) {
  const latencies: number[] = [];
  let bytes = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: VIEWERS }, async (_, v) => {
      for (const name of segments) {
        const t = performance.now();
        bytes += await fetchSegment(v, name);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), bytes, seconds: (performance.now() - started) / 1000 };
}

runBench('stream-viewers', async (cleanup) => {
  const machine = await machineInfo();
  const id = benchId();
  const s3Dir = mkdtempSync(path.join(tmpdir(), 'bench-viewers-s3-'));
  cleanup(() => rmSync(s3Dir, { recursive: true, force: true }));
  const server = await startS3Server(s3Dir, BUCKET);
  cleanup(() => server.proc.kill('SIGTERM'));
  const s3 = s3Client(server.endpoint);
  cleanup(() => s3.destroy());
  const databaseUrl = await createDatabase(`bench_viewers_${id}`);
  cleanup(() => dropDatabase(databaseUrl));
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  cleanup(() => db.end());
  const queuePrefix = `bench-viewers-${id}`;
  cleanup(() => deleteRedisPrefix(queuePrefix));
  const secrets = { jwt: randomBytes(32).toString('hex'), master: randomBytes(32) };
  const target: StreamSeedTarget = {
    query: async <T>(sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows as T[],
    config: { mediaMasterKey: secrets.master },
  };

  // Staff reviewers watch without a session: an unmatched recording is enough.
  const recordingId = await seedRecording(target, null, 'tutoring');
  log(`packaging a ${SECONDS} s clip`);
  const stream = await seedStream(target, s3, recordingId, { seconds: SECONDS, segmentSeconds: 4, width: 1280, height: 720, videoBitrate: VIDEO_BITRATE });
  log(`${stream.segments.length} segments; ${VIEWERS} viewers`);

  const s3Env = { port: server.port, dataDir: s3Dir, bucket: BUCKET };
  const api = await startChild('api', SERVICE_MAIN, benchServiceEnv({ runMode: 'api', databaseUrl, queuePrefix, s3: s3Env, jwtSecret: secrets.jwt, masterKey: secrets.master }), { nodeArgs: (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean) });
  cleanup(() => api.stop());

  const baseline = await viewers(async (_v, name) => {
    const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${stream.storageKey}/${name}` }));
    return drain(out.Body as Readable);
  }, stream.segments);

  const grants = await Promise.all(
    Array.from({ length: VIEWERS }, async (_, v) => {
      const token = await signDevToken(secrets.jwt, { sub: `bench-viewer-${v}`, roles: ['reviewer'], ttlSeconds: 3600 });
      const res = await fetch(`${api.baseUrl}/v1/recordings/${recordingId}/playback`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 201) throw new Error(`playback grant answered ${res.status}: ${await res.text()}`);
      const url = ((await res.json()) as { url: string }).url.replace(/index\.m3u8$/, '');
      await drain((await fetch(`${api.baseUrl}${url}index.m3u8`)).body);
      await drain((await fetch(`${api.baseUrl}${url}key`)).body);
      return url;
    }),
  );
  const rss: number[] = [];
  const sampler = setInterval(() => {
    const memory = readProcMemory(api.pid);
    if (memory) rss.push(memory.rssBytes);
  }, 250);
  const served = await viewers(async (v, name) => {
    const res = await fetch(`${api.baseUrl}${grants[v]}${name}`);
    if (res.status !== 200) throw new Error(`segment answered ${res.status}`);
    return drain(res.body);
  }, stream.segments);
  clearInterval(sampler);

  const third = Math.max(1, Math.floor(rss.length / 3));
  const early = Math.max(...rss.slice(0, third));
  const late = Math.max(...rss.slice(-third));
  const throughput = served.bytes / served.seconds / 1e6;
  const base = baseline.bytes / baseline.seconds / 1e6;
  const figures = [
    figure({ name: `throughput, ${VIEWERS} viewers, every segment`, value: throughput, unit: 'MB/s', baselineName: 'straight from S3', baseline: base, goal: '≥ 0.7×', met: throughput / base >= 0.7 }),
    figure({ name: 'segment p99 latency', value: percentile(served.latencies, 99), unit: 'ms', baselineName: 'straight from S3 p99', baseline: percentile(baseline.latencies, 99) }),
    figure({ name: 'segment p50 latency', value: percentile(served.latencies, 50), unit: 'ms', baselineName: 'straight from S3 p50', baseline: percentile(baseline.latencies, 50) }),
    figure({ name: 'API process RSS, peak of last third vs first third of the run', value: late / 1e6, unit: 'MB', baselineName: 'first third', baseline: early / 1e6, goal: '≤ 1.1× (flat)', met: late / early <= 1.1 }),
  ];
  printFigures(`stream viewers (${describeMachine(machine)})`, figures);
  writeResults('stream-viewers', { bench: 'stream-viewers', machine, segments: stream.segments.length, viewers: VIEWERS, figures });
});
