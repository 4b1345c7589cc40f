// 50 concurrent viewers streaming a ~10-minute recording through the API (playlist, key, every
// segment), against the same segment bytes fetched straight from the embedded S3 in the same run.
// The service runs in this process (test harness: own database, bucket, queue prefix), so the RSS
// sampled is the service's plus the load generator's: flat is what counts, not the level.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { s3Of, BUCKET } from '../test/support/bucket';
import { ServiceHarness } from '../test/support/harness';
import { seedRecording, seedStream } from '../test/support/streams';
import { describeMachine, figure, log, machineInfo, percentile, printFigures, runBench, writeResults } from './support';

const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 50);
const SECONDS = Number(process.env.BENCH_STREAM_SECONDS ?? 600);

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
  const harness = await ServiceHarness.start({ runMode: 'api', env: { LOG_LEVEL: 'warn' } });
  cleanup(() => harness.stop());
  const s3 = s3Of(harness);
  cleanup(() => s3.destroy());
  // Staff reviewers watch without a session: an unmatched recording is enough.
  const recordingId = await seedRecording(harness, null, 'tutoring');
  log(`packaging a ${SECONDS} s clip`);
  const stream = await seedStream(harness, s3, recordingId, { seconds: SECONDS, segmentSeconds: 4, width: 1280, height: 720 });
  log(`${stream.segments.length} segments; ${VIEWERS} viewers`);

  const baseline = await viewers(async (_v, name) => {
    const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${stream.storageKey}/${name}` }));
    return drain(out.Body as Readable);
  }, stream.segments);

  const grants = await Promise.all(
    Array.from({ length: VIEWERS }, async (_, v) => {
      const token = await harness.token(['reviewer'], `bench-viewer-${v}`);
      const res = await fetch(`${harness.baseUrl}/v1/recordings/${recordingId}/playback`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      const url = ((await res.json()) as { url: string }).url.replace(/index\.m3u8$/, '');
      await drain((await fetch(`${harness.baseUrl}${url}index.m3u8`)).body);
      await drain((await fetch(`${harness.baseUrl}${url}key`)).body);
      return url;
    }),
  );
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 250);
  const api = await viewers(async (v, name) => {
    const res = await fetch(`${harness.baseUrl}${grants[v]}${name}`);
    if (res.status !== 200) throw new Error(`segment answered ${res.status}`);
    return drain(res.body);
  }, stream.segments);
  clearInterval(sampler);

  const third = Math.max(1, Math.floor(rss.length / 3));
  const early = Math.max(...rss.slice(0, third));
  const late = Math.max(...rss.slice(-third));
  const throughput = api.bytes / api.seconds / 1e6;
  const base = baseline.bytes / baseline.seconds / 1e6;
  const figures = [
    figure({ name: `throughput, ${VIEWERS} viewers, every segment`, value: throughput, unit: 'MB/s', baselineName: 'straight from S3', baseline: base, goal: '≥ 0.7×', met: throughput / base >= 0.7 }),
    figure({ name: 'segment p99 latency', value: percentile(api.latencies, 99), unit: 'ms', baselineName: 'straight from S3 p99', baseline: percentile(baseline.latencies, 99) }),
    figure({ name: 'segment p50 latency', value: percentile(api.latencies, 50), unit: 'ms', baselineName: 'straight from S3 p50', baseline: percentile(baseline.latencies, 50) }),
    figure({ name: 'process RSS, peak of last third vs first third of the run', value: late / 1e6, unit: 'MB', baselineName: 'first third', baseline: early / 1e6, goal: '≤ 1.1× (flat)', met: late / early <= 1.1 }),
  ];
  printFigures(`stream viewers (${describeMachine(machine)})`, figures);
  writeResults('stream-viewers', { bench: 'stream-viewers', machine, segments: stream.segments.length, viewers: VIEWERS, figures });
});
