// Workers that add up (issue 15, item 5): delivery processing and archiving with 1 against 2 worker
// processes (RUN_MODE=worker) on the same PostgreSQL and Redis.
//
//   node dist/bench/worker-scaling.js      (or: bash scripts/bench.sh workers)
//   BENCH_WORKERS_DELIVERIES=500 BENCH_WORKERS_REPEATS=1 node dist/bench/worker-scaling.js   (a quick try)
//   BENCH_CPU_PROF=1 …                                   (each worker writes a CPU profile to bench/results/profiles)
//   INGEST_BATCH_MAX=50 …                                (the batched workers' setting; default the service's)
//
// Each run has a fresh database and queue prefix. The ingest queue is paused first; the built
// service (RUN_MODE=api) then accepts N signed `recording.completed` webhooks, each naming two small
// files (a transcript and a chat log) on a FakeZoomHost in this process, so the inbox holds N rows
// and Redis N waiting `process-delivery` jobs — the state a burst leaves behind. The api process is
// stopped, the worker processes start and report healthy, and the clock starts when the queue is
// resumed. Measured, by polling PostgreSQL every 100 ms: the time until no inbox row is `received`
// (deliveries/s) and until no artifact is `pending` (files archived/s, the download from the fake
// host and the upload to the S3 server in its own process). Runs alternate 1 and 2 workers, and one
// worker ingesting one delivery per transaction (INGEST_BATCH_MAX=1, the pre-batching path: the
// baseline of batched ingest), BENCH_WORKERS_REPEATS (2) times each; the figures are medians. The CPU each process used during
// the drain is reported: on a 2-core machine the workers share the cores with PostgreSQL, Redis,
// the S3 server and the fake host, which caps what a second worker can add.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { JOB_CATALOGUE, redisConnection } from '@lib/jobs';
import { EventFileSpec, fakeDownloadToken, FakeZoomHost, recordingCompletedEvent, sendWebhook } from '@lib/zoom-simulator';
import {
  BENCH_ZOOM_SECRET,
  benchId,
  benchServiceEnv,
  ChildService,
  cpuDelta,
  cpuOfCommands,
  createDatabase,
  deleteRedisPrefix,
  describeMachine,
  dropDatabase,
  figure,
  log,
  machineCpu,
  machineInfo,
  printFigures,
  readProcCpu,
  REDIS_URL,
  ROOT,
  round,
  runBench,
  SERVICE_MAIN,
  sleep,
  startChild,
  startS3Server,
  writeResults,
} from './support';

const DELIVERIES = Math.max(10, Number(process.env.BENCH_WORKERS_DELIVERIES ?? 3000));
const REPEATS = Math.max(1, Number(process.env.BENCH_WORKERS_REPEATS ?? 2));
const SEND_CONCURRENCY = 16;
const POLL_MS = 100;
const DRAIN_TIMEOUT_MS = 10 * 60_000;
const GOAL_RATIO = 1.7;
const GOAL_ONE_WORKER_DELIVERIES_PER_SECOND = 500;
const BUCKET = 'recordings';
/** BENCH_CPU_PROF=1: each worker process writes a V8 CPU profile into bench/results/profiles when it stops. */
const profileArgs = process.env.BENCH_CPU_PROF === '1' ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ROOT, 'bench', 'results', 'profiles')}`] : [];

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

interface Run {
  workers: number;
  /** INGEST_BATCH_MAX of the workers: 'default' (the service's) or 1 (one delivery per transaction). */
  batchMax: 'default' | 1;
  deliveries: number;
  files: number;
  deliveriesSeconds: number;
  filesSeconds: number;
  deliveriesPerSecond: number;
  filesPerSecond: number;
  failedDeliveries: number;
  filesNotStored: number;
  /** Cores used on average during the drain, by process. */
  cores: Record<string, number>;
  /** CPU milliseconds per delivery (with its files) over the drain: the workers together, and the whole machine. */
  cpuMsPerDelivery: { workers: number; machine: number };
}

interface Shared {
  dir: string;
  s3: { port: number; pid: number; dataDir: string };
  host: FakeZoomHost;
  files: EventFileSpec[];
  downloadToken: string;
  masterKey: Buffer;
  id: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

runBench('worker-scaling', async (cleanup) => {
  const machine = await machineInfo();
  log(describeMachine(machine));
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-workers-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  const server = await startS3Server(path.join(dir, 's3'), BUCKET);
  cleanup(() => server.proc.kill('SIGTERM'));
  const downloadToken = fakeDownloadToken();
  const host = new FakeZoomHost({ downloadToken });
  await host.start();
  cleanup(() => host.stop());
  // Small files, so the run measures the per-file work (download, upload, rows, jobs), not bandwidth.
  const vtt = host.addFile({ content: Buffer.from(`WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nSpeaker: ${'la '.repeat(600)}\n`), contentType: 'text/vtt' });
  const chat = host.addFile({ content: Buffer.from(`00:00:05\tElisa L:\t${'hello '.repeat(300)}\n`), contentType: 'text/plain' });
  const files: EventFileSpec[] = [
    { fileType: 'TRANSCRIPT', fileExtension: 'VTT', recordingType: 'audio_transcript', downloadUrl: vtt.downloadUrl, size: vtt.size },
    { fileType: 'CHAT', fileExtension: 'TXT', recordingType: 'chat_file', downloadUrl: chat.downloadUrl, size: chat.size },
  ];
  const shared: Shared = { dir, s3: { port: server.port, pid: server.proc.pid as number, dataDir: path.join(dir, 's3') }, host, files, downloadToken, masterKey: randomBytes(32), id: benchId() };

  const runs: Run[] = [];
  for (let rep = 1; rep <= REPEATS; rep += 1) {
    // Alternate, and swap the order each repeat, so drift on the machine hits both alike.
    const order: Array<[number, Run['batchMax']]> = [[1, 'default'], [2, 'default'], [1, 1]];
    for (const [workers, batchMax] of rep % 2 === 1 ? order : [...order].reverse()) {
      const run = await measure(shared, workers, batchMax, `${rep}w${workers}b${batchMax === 1 ? 1 : 'd'}`, cleanup);
      runs.push(run);
      log(
        `${workers} worker(s)${batchMax === 1 ? ', one delivery per transaction' : ''}: ${run.deliveries} deliveries in ${run.deliveriesSeconds} s (${run.deliveriesPerSecond}/s), ` +
          `${run.files} files in ${run.filesSeconds} s (${run.filesPerSecond}/s); CPU ms per delivery: workers ${run.cpuMsPerDelivery.workers}, machine ${run.cpuMsPerDelivery.machine}; cores ${JSON.stringify(run.cores)}`,
      );
    }
  }

  const of = (workers: number, batchMax: Run['batchMax'] = 'default') => runs.filter((r) => r.workers === workers && r.batchMax === batchMax);
  const med = (workers: number, pick: (r: Run) => number, batchMax: Run['batchMax'] = 'default') => round(median(of(workers, batchMax).map(pick)), 2);
  const d1 = med(1, (r) => r.deliveriesPerSecond);
  const d2 = med(2, (r) => r.deliveriesPerSecond);
  const f1 = med(1, (r) => r.filesPerSecond);
  const f2 = med(2, (r) => r.filesPerSecond);
  const list = (workers: number, pick: (r: Run) => number, batchMax: Run['batchMax'] = 'default') => of(workers, batchMax).map(pick).join(', ');
  const d1Single = med(1, (r) => r.deliveriesPerSecond, 1);
  const failures = runs.reduce((n, r) => n + r.failedDeliveries + r.filesNotStored, 0);
  const busy = (workers: number) => round(med(workers, (r) => r.cores['machine busy (all)']), 2);
  const capNote = `machine ${machine.cores} cores; median machine busy during the drain: ${busy(1)} cores with 1 worker, ${busy(2)} with 2`;
  const figures = [
    figure({
      name: `deliveries processed, 2 workers vs 1 (${DELIVERIES} deliveries, median of ${REPEATS})`,
      value: d2,
      unit: 'deliveries/s',
      baselineName: '1 worker',
      baseline: d1,
      goal: `≥ ${GOAL_RATIO}×`,
      met: failures === 0 && d2 >= GOAL_RATIO * d1,
      note: `runs: 2 workers ${list(2, (r) => r.deliveriesPerSecond)}; 1 worker ${list(1, (r) => r.deliveriesPerSecond)}; ${capNote}`,
    }),
    figure({
      name: `files archived, 2 workers vs 1 (${DELIVERIES * files.length} files, median of ${REPEATS})`,
      value: f2,
      unit: 'files/s',
      baselineName: '1 worker',
      baseline: f1,
      goal: `≥ ${GOAL_RATIO}×`,
      met: failures === 0 && f2 >= GOAL_RATIO * f1,
      note: `runs: 2 workers ${list(2, (r) => r.filesPerSecond)}; 1 worker ${list(1, (r) => r.filesPerSecond)}`,
    }),
    figure({
      name: 'deliveries processed by one worker',
      value: d1,
      unit: 'deliveries/s',
      baselineName: 'the goal',
      baseline: GOAL_ONE_WORKER_DELIVERIES_PER_SECOND,
      goal: `≥ ${GOAL_ONE_WORKER_DELIVERIES_PER_SECOND}/s where the machine allows`,
      met: failures === 0 && d1 >= GOAL_ONE_WORKER_DELIVERIES_PER_SECOND,
      note:
        `${machine.cpuModel}, ${machine.cores} cores; the worker spent ${med(1, (r) => r.cpuMsPerDelivery.workers)} CPU ms per delivery (with its ${files.length} files), ` +
        `the whole machine ${med(1, (r) => r.cpuMsPerDelivery.machine)} ms (2 workers: ${med(2, (r) => r.cpuMsPerDelivery.workers)} / ${med(2, (r) => r.cpuMsPerDelivery.machine)} ms)`,
    }),
    figure({
      name: 'deliveries processed by one worker, batched vs one delivery per transaction',
      value: d1,
      unit: 'deliveries/s',
      baselineName: 'INGEST_BATCH_MAX=1',
      baseline: d1Single,
      goal: 'none (the batching the goal above asked for)',
      met: failures === 0,
      note:
        `runs: batched ${list(1, (r) => r.deliveriesPerSecond)}; one per transaction ${list(1, (r) => r.deliveriesPerSecond, 1)}; ` +
        `CPU ms per delivery (worker): ${med(1, (r) => r.cpuMsPerDelivery.workers)} batched, ${med(1, (r) => r.cpuMsPerDelivery.workers, 1)} one per transaction`,
    }),
  ];
  printFigures(`worker scaling — ${describeMachine(machine)}`, figures);
  for (const workers of [1, 2]) {
    const keys = Object.keys(of(workers)[0].cores);
    const cores = Object.fromEntries(keys.map((k) => [k, round(med(workers, (r) => r.cores[k]), 2)]));
    process.stdout.write(`  ${workers} worker(s), median cores in use during the drain: ${JSON.stringify(cores)}\n`);
  }
  if (failures > 0) process.stdout.write(`  WARNING: ${failures} deliveries failed or files not stored (see the results file)\n`);
  const file = writeResults('worker-scaling', {
    bench: 'worker-scaling',
    machine,
    setup: {
      deliveries: DELIVERIES,
      filesPerDelivery: files.length,
      fileBytes: files.map((f) => f.size),
      repeats: REPEATS,
      preload: 'signed recording.completed webhooks through the built api into a paused ingest queue; the api is stopped before the drain',
      workers: `RUN_MODE=worker, production defaults (INGEST_BATCH_MAX ${process.env.INGEST_BATCH_MAX ?? 'default'}, ingest concurrency twice that, ARCHIVE_CONCURRENCY 4 per process); TALK_TIME_ANALYSIS and STREAM_PACKAGING off; baseline runs with INGEST_BATCH_MAX=1`,
      clock: 'from resuming the ingest queue (workers healthy) to no inbox row received / no artifact pending, polled every 100 ms',
      objectStore: 'embedded S3 server in its own process; fake Zoom host in the bench process',
    },
    figures,
    runs,
  });
  process.stdout.write(`  results: ${path.relative(process.cwd(), file)}\n`);
});

async function measure(shared: Shared, workers: number, batchMax: Run['batchMax'], tag: string, cleanup: (step: () => unknown) => void): Promise<Run> {
  const databaseUrl = await createDatabase(`rec_bench_workers_${shared.id}_${tag}`);
  cleanup(() => dropDatabase(databaseUrl));
  const queuePrefix = `bench-workers-${shared.id}-${tag}`;
  cleanup(() => deleteRedisPrefix(queuePrefix));
  const env = (runMode: 'api' | 'worker') =>
    benchServiceEnv({
      runMode,
      databaseUrl,
      queuePrefix,
      masterKey: shared.masterKey,
      s3: { port: shared.s3.port, dataDir: shared.s3.dataDir, bucket: BUCKET },
      extra: {
        ZOOM_WEBHOOK_SECRET_TOKEN: BENCH_ZOOM_SECRET,
        ZOOM_DOWNLOAD_HOSTS: shared.host.allowListEntries().join(','),
        HTTP_PUBLIC_RATE_LIMIT_MAX: '0',
        TALK_TIME_ANALYSIS: 'false',
        STREAM_PACKAGING: 'false',
        ...(batchMax === 1 ? { INGEST_BATCH_MAX: '1' } : process.env.INGEST_BATCH_MAX ? { INGEST_BATCH_MAX: process.env.INGEST_BATCH_MAX } : {}),
      },
    });
  const ingest = new Queue(JOB_CATALOGUE['process-delivery'].queue, { prefix: queuePrefix, connection: redisConnection(REDIS_URL) });
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const started: ChildService[] = [];
  try {
    await ingest.pause();
    const api = await startChild('service (api)', SERVICE_MAIN, env('api'));
    started.push(api);
    await preload(api.baseUrl, shared);
    await api.stop();
    const count = async (sql: string) => Number((await db.query(sql)).rows[0].n);
    const received = await count(`SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'received'`);
    const waiting = (await ingest.getJobCounts('paused', 'wait')) as Record<string, number>;
    if (received !== DELIVERIES) throw new Error(`inbox holds ${received} received rows, expected ${DELIVERIES}`);
    log(`[${tag}] inbox: ${received} deliveries received, ${(waiting.paused ?? 0) + (waiting.wait ?? 0)} jobs waiting; starting ${workers} worker(s)`);

    const procs: ChildService[] = [];
    for (let i = 0; i < workers; i += 1) {
      const w = await startChild(`worker ${i + 1}`, SERVICE_MAIN, env('worker'), { nodeArgs: profileArgs });
      started.push(w);
      procs.push(w);
    }
    const before = cpuSnapshot(procs, shared.s3.pid);
    const t0 = Date.now();
    await ingest.resume();
    const files = DELIVERIES * shared.files.length;
    let deliveriesSeconds = NaN;
    let filesSeconds = NaN;
    while (Number.isNaN(filesSeconds) || Number.isNaN(deliveriesSeconds)) {
      if (Date.now() - t0 > DRAIN_TIMEOUT_MS) throw new Error(`not drained within ${DRAIN_TIMEOUT_MS / 1000} s`);
      for (const w of procs) if (!w.running) throw new Error(`${w.name} exited:\n${w.tail()}`);
      const row = (
        await db.query(
          `SELECT (SELECT count(*) FROM webhook_deliveries WHERE status = 'received') AS received,
                  (SELECT count(*) FROM artifacts WHERE status = 'pending') AS pending,
                  (SELECT count(*) FROM artifacts) AS artifacts`,
        )
      ).rows[0];
      const at = (Date.now() - t0) / 1000;
      if (Number.isNaN(deliveriesSeconds) && Number(row.received) === 0) deliveriesSeconds = at;
      if (!Number.isNaN(deliveriesSeconds) && Number.isNaN(filesSeconds) && Number(row.pending) === 0 && Number(row.artifacts) >= files) filesSeconds = at;
      await sleep(POLL_MS);
    }
    // This database's PostgreSQL backends (other work on the machine may use PostgreSQL too).
    const ownBackends = (await db.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)).rows.map((r) => Number(r.pid));
    const after = cpuSnapshot(procs, shared.s3.pid);
    const failedDeliveries = await count(`SELECT count(*) AS n FROM webhook_deliveries WHERE status <> 'processed'`);
    const stored = await count(`SELECT count(*) AS n FROM artifacts WHERE status = 'stored'`);
    return {
      workers,
      batchMax,
      deliveries: DELIVERIES,
      files,
      deliveriesSeconds: round(deliveriesSeconds, 2),
      filesSeconds: round(filesSeconds, 2),
      deliveriesPerSecond: round(DELIVERIES / deliveriesSeconds, 1),
      filesPerSecond: round(stored / filesSeconds, 1),
      failedDeliveries,
      filesNotStored: files - stored,
      cores: coresUsed(before, after, ownBackends),
      cpuMsPerDelivery: {
        workers: round((after.workers.reduce((x, y) => x + y, 0) - before.workers.reduce((x, y) => x + y, 0)) * 1000 / DELIVERIES, 1),
        machine: round(((after.machine - before.machine) * 1000) / DELIVERIES, 1),
      },
    };
  } finally {
    for (const child of started.reverse()) await child.stop();
    await ingest.close();
    await db.end();
  }
}

/** N signed deliveries through the real webhook route, SEND_CONCURRENCY at a time; each must be accepted. */
async function preload(baseUrl: string, shared: Shared): Promise<void> {
  let next = 0;
  const t0 = Date.now();
  const sender = async () => {
    while (next < DELIVERIES) {
      next += 1;
      const event = recordingCompletedEvent({ downloadToken: shared.downloadToken, files: shared.files, durationMinutes: 45, topic: 'Maths tutoring' });
      const ack = await sendWebhook(`${baseUrl}/webhooks/zoom`, BENCH_ZOOM_SECRET, event);
      if (ack.status !== 200 || !ack.body.includes('accepted')) throw new Error(`webhook answered ${ack.status}: ${ack.body.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: SEND_CONCURRENCY }, sender));
  log(`preloaded ${DELIVERIES} deliveries in ${round((Date.now() - t0) / 1000, 1)} s`);
}

interface CpuSnapshot {
  at: number;
  workers: number[];
  s3: number;
  bench: number;
  postgres: Map<number, number>;
  redis: Map<number, number>;
  machine: number;
}

function cpuSnapshot(workers: ChildService[], s3Pid: number): CpuSnapshot {
  const usage = process.cpuUsage();
  return {
    at: Date.now(),
    workers: workers.map((w) => readProcCpu(w.pid)?.self ?? 0),
    s3: readProcCpu(s3Pid)?.self ?? 0,
    bench: (usage.user + usage.system) / 1e6,
    postgres: cpuOfCommands(['postgres']),
    redis: cpuOfCommands(['redis-server']),
    machine: machineCpu().busy,
  };
}

/** Average cores each process used between two snapshots; "other" is the rest of the machine. */
function coresUsed(a: CpuSnapshot, b: CpuSnapshot, ownBackends: number[]): Record<string, number> {
  const seconds = (b.at - a.at) / 1000;
  const used: Record<string, number> = {};
  b.workers.forEach((cpu, i) => (used[`worker ${i + 1}`] = cpu - a.workers[i]));
  used['S3 server'] = b.s3 - a.s3;
  used['fake Zoom host + poller (bench process)'] = b.bench - a.bench;
  const own = (m: Map<number, number>) => new Map([...m].filter(([pid]) => ownBackends.includes(pid)));
  const postgresAll = cpuDelta(a.postgres, b.postgres);
  used['postgres (this database)'] = cpuDelta(own(a.postgres), own(b.postgres));
  used['postgres (rest: other databases, background)'] = postgresAll - used['postgres (this database)'];
  used.redis = cpuDelta(a.redis, b.redis);
  const ours = Object.values(used).reduce((x, y) => x + y, 0);
  const busy = b.machine - a.machine;
  used['other processes'] = Math.max(0, busy - ours);
  used['machine busy (all)'] = busy;
  return Object.fromEntries(Object.entries(used).map(([k, v]) => [k, round(v / seconds, 2)]));
}
