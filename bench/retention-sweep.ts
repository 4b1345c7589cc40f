// Retention sweep (issue 3, "Benchmarks").
//
//   node dist/bench/retention-sweep.js        (or: bash scripts/bench.sh retention)
//   BENCH_RETENTION_ARTIFACTS=20000 BENCH_RETENTION_QUERY_ROWS=100000,300000 node dist/bench/retention-sweep.js   (a quick try)
//
// (a) End to end. N expired artifacts (BENCH_RETENTION_ARTIFACTS, default 100,000; 10 per recording)
//     as rows inserted with SQL and one small object each (PutObject, 256 bytes, 32 at a time) in
//     the embedded s3rver, which runs alone in its own process (bench/s3-server.ts):
//       baseline  this process deletes the same number of keys (same shape, own bucket) with bare
//                 DeleteObjects calls of 1000 keys, one after the other;
//       service   a worker (RUN_MODE=worker, the built service) sweeps: keyset pages of 1000 from
//                 the artifacts_due index, one `delete-artifacts` job per page, each deleting its
//                 objects (DeleteObjects, per-key confirmation), marking the rows deleted and
//                 appending one audit entry per artifact. The clock runs from the moment the rows
//                 become due (one UPDATE, the worker already up) to the last row marked deleted.
//     Figure: artifacts/s against keys/s (goal ≥ 0.5×).
// (b) Sweep query cost. Databases of 100,000 and 1,000,000 artifact rows
//     (BENCH_RETENTION_QUERY_ROWS; every recording with its session, a tutor and two learners) of
//     which the same 10,000 are expired, and five active holds on other sessions and people: the
//     time of each keyset page of the sweep's own query (`expiredPageQuery`, libs/retention),
//     median over BENCH_RETENTION_QUERY_REPEATS walks of all pages; EXPLAIN (ANALYZE, BUFFERS)
//     shows the plan walks artifacts_due. Two layouts: `clustered`, the expired rows are the oldest
//     ones, stored together (as in life: rows expire in about the order they were written), and
//     `scattered`, one row in every rows/10,000 expired, spread over the whole table (the worst
//     case for the heap). Goal: within 1.5×.
//   BENCH_RETENTION_PARTS=query (or throughput) runs one part only.
import { CreateBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { expiredPageQuery } from '@lib/retention';
import {
  benchId,
  benchServiceEnv,
  cpuDelta,
  cpuOfCommands,
  createDatabase,
  deleteRedisPrefix,
  describeMachine,
  dropDatabase,
  Figure,
  figure,
  log,
  machineInfo,
  percentile,
  printFigures,
  readProcCpu,
  ROOT,
  round,
  runBench,
  s3Client,
  SERVICE_MAIN,
  sleep,
  startChild,
  startS3Server,
  writeResults,
} from './support';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ARTIFACTS = Number(process.env.BENCH_RETENTION_ARTIFACTS ?? 100_000);
const PER_RECORDING = 10;
const PUT_CONCURRENCY = 32;
const DELETE_BATCH = 1000;
const BODY_BYTES = 256;
const GOAL_THROUGHPUT_RATIO = 0.5;
const RUN_TIMEOUT_MS = 60 * 60_000;
const QUERY_ROWS = (process.env.BENCH_RETENTION_QUERY_ROWS ?? '100000,1000000').split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
const QUERY_EXPIRED = 10_000;
const QUERY_REPEATS = Math.max(3, Number(process.env.BENCH_RETENTION_QUERY_REPEATS ?? 20));
const GOAL_QUERY_RATIO = 1.5;
const QUERY_LAYOUTS = ['clustered', 'scattered'] as const;
type Layout = (typeof QUERY_LAYOUTS)[number];
const PARTS = (process.env.BENCH_RETENTION_PARTS ?? 'query,throughput').split(',').map((p) => p.trim());
const BUCKET = 'recordings';
const BASELINE_BUCKET = 'bench-baseline';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Keys shaped like the service's: `r/<128-bit prefix per recording>/<96-bit name>.m4a`. */
function makeKeys(count: number): Array<{ prefix: string; keys: string[] }> {
  const recordings: Array<{ prefix: string; keys: string[] }> = [];
  for (let made = 0; made < count; ) {
    const prefix = `r/${randomBytes(16).toString('hex')}`;
    const keys: string[] = [];
    for (let i = 0; i < PER_RECORDING && made < count; i += 1, made += 1) keys.push(`${prefix}/${randomBytes(12).toString('hex')}.m4a`);
    recordings.push({ prefix, keys });
  }
  return recordings;
}

async function putAll(s3: S3Client, bucket: string, keys: string[]): Promise<number> {
  const started = Date.now();
  let next = 0;
  let lastLog = Date.now();
  await Promise.all(
    Array.from({ length: PUT_CONCURRENCY }, async () => {
      while (next < keys.length) {
        const key = keys[next++];
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: randomBytes(BODY_BYTES), ContentType: 'audio/mp4' }));
        if (Date.now() - lastLog > 15_000) {
          lastLog = Date.now();
          log(`  ${bucket}: ${next} of ${keys.length} objects put`);
        }
      }
    }),
  );
  return keys.length / ((Date.now() - started) / 1000);
}

async function bucketIsEmpty(s3: S3Client, bucket: string): Promise<boolean> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
  return (out.KeyCount ?? 0) === 0;
}

/** Rows for the seeded recordings and their artifacts, not yet due (they become due all at once). */
async function seedRows(db: Client, recordings: Array<{ prefix: string; keys: string[] }>): Promise<void> {
  const started = new Date(Date.now() - 40 * 86_400_000);
  for (let i = 0; i < recordings.length; i += 5000) {
    const chunk = recordings.slice(i, i + 5000);
    const ids: Array<{ id: string; storage_prefix: string }> = (
      await db.query(
        `INSERT INTO recordings (zoom_meeting_uuid, zoom_meeting_id, policy_profile, started_at, status, storage_prefix)
         SELECT 'bench-' || p, '81234567890', 'tutoring', $2, 'archived', p FROM unnest($1::text[]) AS p
         RETURNING id, storage_prefix`,
        [chunk.map((r) => r.prefix), started],
      )
    ).rows;
    const byPrefix = new Map(ids.map((r) => [r.storage_prefix, r.id]));
    const recordingIds: string[] = [];
    const keys: string[] = [];
    for (const r of chunk) for (const key of r.keys) {
      recordingIds.push(byPrefix.get(r.prefix)!);
      keys.push(key);
    }
    await db.query(
      `INSERT INTO artifacts (recording_id, kind, zoom_file_key, storage_key, content_type, status, size_bytes, stored_at,
         expires_at, retention_class, policy_profile, policy_version, retention_anchor_at)
       SELECT rid, 'audio', k, k, 'audio/mp4', 'stored', $3, $4, '2100-01-01', 'media', 'tutoring', 1, $4
       FROM unnest($1::uuid[], $2::text[]) AS v(rid, k)`,
      [recordingIds, keys, BODY_BYTES, started],
    );
  }
  // Version 1 counts as applied: the worker must not re-compute these rows while it sweeps.
  await db.query('UPDATE retention_policies SET applied_at = now()');
}

interface ThroughputResult {
  artifacts: number;
  recordings: number;
  putObjectsPerSecond: { baseline: number; service: number };
  baseline: { seconds: number; keysPerSecond: number; calls: number; cpuSeconds: { client: number; s3rver: number; otherProcesses: number } };
  service: {
    seconds: number;
    artifactsPerSecond: number;
    sweeps: number;
    sweepSeconds: number;
    deleteJobs: number;
    auditEntries: number;
    bucketEmpty: boolean;
    cpuSeconds: { worker: number; s3rver: number; postgres: number; redis: number; bench: number; otherProcesses: number };
  };
  /** Other processes took more than a quarter of a core during a measured phase. */
  disturbed: boolean;
}

/** Cores' worth of CPU that other processes took during a phase (above this, the phase is disturbed). */
const DISTURBED_CORES = 0.25;

/** CPU seconds so far of every process (kernel threads included), by pid. */
function cpuOfAllProcesses(): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cpu = readProcCpu(Number(entry));
    if (cpu) byPid.set(Number(entry), cpu.self);
  }
  return byPid;
}

/**
 * CPU that processes other than ours took between two snapshots: everything except the named
 * pids, PostgreSQL and Redis (which serve us). Interrupt and steal time are not processes' and are
 * left out (on this VM they are large while many small requests cross loopback).
 */
function otherProcessesCpu(before: Map<number, number>, after: Map<number, number>, ours: number[]): number {
  const served = new Set([...cpuOfCommands(['postgres', 'redis-server']).keys()]);
  let total = 0;
  for (const [pid, seconds] of after) {
    if (ours.includes(pid) || served.has(pid)) continue;
    total += Math.max(0, seconds - (before.get(pid) ?? 0));
  }
  return total;
}

async function throughput(cleanup: (step: () => Promise<unknown> | unknown) => void): Promise<ThroughputResult> {
  const id = benchId();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'rec-bench-retention-'));
  cleanup(() => rmSync(tmp, { recursive: true, force: true }));
  const s3Dir = path.join(tmp, 's3');
  const server = await startS3Server(s3Dir);
  cleanup(() => server.proc.kill('SIGTERM'));
  const s3 = s3Client(server.endpoint);
  cleanup(() => s3.destroy());
  await s3.send(new CreateBucketCommand({ Bucket: BASELINE_BUCKET }));

  // Baseline: the same number of keys, deleted with bare DeleteObjects calls.
  const baselineKeys = makeKeys(ARTIFACTS).flatMap((r) => r.keys);
  log(`baseline: putting ${ARTIFACTS} objects`);
  const baselinePut = await putAll(s3, BASELINE_BUCKET, baselineKeys);
  const s3CpuBefore = readProcCpu(server.proc.pid!)!;
  const clientCpuBefore = process.cpuUsage();
  const processesBefore = cpuOfAllProcesses();
  let started = process.hrtime.bigint();
  let calls = 0;
  for (let i = 0; i < baselineKeys.length; i += DELETE_BATCH) {
    await s3.send(
      new DeleteObjectsCommand({ Bucket: BASELINE_BUCKET, Delete: { Objects: baselineKeys.slice(i, i + DELETE_BATCH).map((Key) => ({ Key })), Quiet: true } }),
    );
    calls += 1;
  }
  const baselineSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const s3CpuBaseline = readProcCpu(server.proc.pid!)!.self - s3CpuBefore.self;
  const baselineOthers = otherProcessesCpu(processesBefore, cpuOfAllProcesses(), [process.pid, server.proc.pid!]);
  if (!(await bucketIsEmpty(s3, BASELINE_BUCKET))) throw new Error('baseline bucket not empty after the deletes');
  log(`baseline: ${ARTIFACTS} keys in ${round(baselineSeconds, 1)} s (${round(ARTIFACTS / baselineSeconds)} keys/s)`);

  // Service: rows and objects, then a worker sweeps once they are due.
  const databaseUrl = await createDatabase(`bench_retention_${id}`);
  cleanup(() => dropDatabase(databaseUrl));
  const queuePrefix = `bench-retention-${id}`;
  cleanup(() => deleteRedisPrefix(queuePrefix));
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  cleanup(() => db.end());
  const recordings = makeKeys(ARTIFACTS);
  log(`service: inserting ${ARTIFACTS} artifact rows over ${recordings.length} recordings, putting their objects`);
  await seedRows(db, recordings);
  const servicePut = await putAll(s3, BUCKET, recordings.flatMap((r) => r.keys));
  await db.query('VACUUM ANALYZE artifacts');
  await db.query('VACUUM ANALYZE recordings');

  const worker = await startChild(
    'worker',
    SERVICE_MAIN,
    benchServiceEnv({ runMode: 'worker', databaseUrl, queuePrefix, s3: { port: server.port, dataDir: s3Dir, bucket: BUCKET }, extra: { RETENTION_SWEEP_INTERVAL_MS: '250' } }),
  );
  cleanup(() => worker.stop());
  await sleep(1000);

  const cpuBefore = {
    worker: readProcCpu(worker.pid)!.self,
    s3: readProcCpu(server.proc.pid!)!.self,
    pg: cpuOfCommands(['postgres']),
    redis: cpuOfCommands(['redis-server']),
    bench: process.cpuUsage(),
    processes: cpuOfAllProcesses(),
  };
  await db.query(`UPDATE artifacts SET expires_at = now() - interval '1 day' WHERE status = 'stored'`);
  started = process.hrtime.bigint();
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  let lastLog = Date.now();
  for (;;) {
    const { n } = (await db.query(`SELECT count(*)::int AS n FROM artifacts WHERE status = 'deleted'`)).rows[0];
    if (n >= ARTIFACTS) break;
    if (!worker.running) throw new Error(`the worker exited:\n${worker.tail()}`);
    if (Date.now() > deadline) throw new Error(`only ${n} of ${ARTIFACTS} deleted after ${RUN_TIMEOUT_MS / 60_000} min:\n${worker.tail()}`);
    if (Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      log(`  service: ${n} of ${ARTIFACTS} deleted`);
    }
    await sleep(100);
  }
  const serviceSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = {
    worker: round(readProcCpu(worker.pid)!.self - cpuBefore.worker),
    s3rver: round(readProcCpu(server.proc.pid!)!.self - cpuBefore.s3),
    postgres: round(cpuDelta(cpuBefore.pg, cpuOfCommands(['postgres']))),
    redis: round(cpuDelta(cpuBefore.redis, cpuOfCommands(['redis-server']))),
    bench: 0,
    otherProcesses: 0,
  };
  const benchCpu = process.cpuUsage(cpuBefore.bench);
  cpu.bench = round((benchCpu.user + benchCpu.system) / 1e6);
  cpu.otherProcesses = round(otherProcessesCpu(cpuBefore.processes, cpuOfAllProcesses(), [process.pid, server.proc.pid!, worker.pid]));
  log(`service: ${ARTIFACTS} artifacts in ${round(serviceSeconds, 1)} s (${round(ARTIFACTS / serviceSeconds)} artifacts/s)`);
  await worker.stop();

  const sweeps = (await db.query(`SELECT count(*)::int AS n, coalesce(sum(extract(epoch FROM finished_at - started_at)), 0)::float AS s, coalesce(sum(queued), 0)::int AS q FROM retention_sweeps`)).rows[0];
  const audit = (await db.query(`SELECT count(*)::int AS n, count(DISTINCT subject_id)::int AS d FROM audit_log WHERE action = 'artifact.deleted'`)).rows[0];
  if (audit.n !== ARTIFACTS || audit.d !== ARTIFACTS) throw new Error(`expected ${ARTIFACTS} artifact.deleted entries, one each; found ${audit.n} (${audit.d} artifacts)`);
  const bucketEmpty = await bucketIsEmpty(s3, BUCKET);
  if (!bucketEmpty) throw new Error('objects remain in the bucket after the sweep');
  return {
    artifacts: ARTIFACTS,
    recordings: recordings.length,
    putObjectsPerSecond: { baseline: round(baselinePut), service: round(servicePut) },
    baseline: {
      seconds: round(baselineSeconds, 2),
      keysPerSecond: round(ARTIFACTS / baselineSeconds),
      calls,
      cpuSeconds: { client: round((clientCpu.user + clientCpu.system) / 1e6), s3rver: round(s3CpuBaseline), otherProcesses: round(baselineOthers) },
    },
    service: {
      seconds: round(serviceSeconds, 2),
      artifactsPerSecond: round(ARTIFACTS / serviceSeconds),
      sweeps: sweeps.n,
      sweepSeconds: round(sweeps.s, 2),
      deleteJobs: Math.ceil(sweeps.q / 1000),
      auditEntries: audit.n,
      bucketEmpty,
      cpuSeconds: cpu,
    },
    disturbed: baselineOthers / baselineSeconds > DISTURBED_CORES || cpu.otherProcesses / serviceSeconds > DISTURBED_CORES,
  };
}

interface QueryResult {
  layout: Layout;
  rows: number;
  expired: number;
  pagesPerWalk: number;
  pageMs: { median: number; p95: number; first: number; max: number };
  walkMsMedian: number;
  usesArtifactsDue: boolean;
  planFirstPage: string;
  planLaterPage: string;
  tableMB: number;
  indexMB: number;
}

async function queryCost(rows: number, layout: Layout, cleanup: (step: () => Promise<unknown> | unknown) => void): Promise<QueryResult> {
  const databaseUrl = await createDatabase(`bench_retention_q_${benchId()}`);
  cleanup(() => dropDatabase(databaseUrl)); // also on Ctrl-C; dropping twice is harmless
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const recordings = Math.ceil(rows / PER_RECORDING);
    const every = Math.floor(rows / QUERY_EXPIRED);
    const expiredWhen = layout === 'clustered' ? `g <= ${QUERY_EXPIRED}` : `g % ${every} = 0 AND g / ${every} <= ${QUERY_EXPIRED}`;
    log(`query cost: inserting ${rows} artifacts (${QUERY_EXPIRED} expired, ${layout}) over ${recordings} recordings`);
    // Every recording has its session with a tutor and two learners (a thousand learners in all), so
    // the sweep's hold test meets tables of a realistic size.
    await db.query(
      `INSERT INTO people (id, display_name, minor) SELECT 'bench-person-' || g, 'Person ' || g, g > 0 FROM generate_series(0, 1000) g`,
    );
    await db.query(
      `INSERT INTO sessions (id, zoom_meeting_id, starts_at, policy_profile, tutor_id)
       SELECT 'q-' || g, '81234567890', now() - interval '10 days', 'tutoring', 'bench-person-0' FROM generate_series(1, $1) g`,
      [recordings],
    );
    await db.query(
      `INSERT INTO session_participants (session_id, person_id, role)
       SELECT 'q-' || g, 'bench-person-0', 'tutor' FROM generate_series(1, $1) g
       UNION ALL SELECT 'q-' || g, 'bench-person-' || (1 + g % 1000), 'learner' FROM generate_series(1, $1) g
       UNION ALL SELECT 'q-' || g, 'bench-person-' || (1 + (g + 500) % 1000), 'learner' FROM generate_series(1, $1) g`,
      [recordings],
    );
    await db.query(
      `INSERT INTO recordings (zoom_meeting_uuid, zoom_meeting_id, session_id, policy_profile, started_at, status, storage_prefix)
       SELECT 'q-' || g, '81234567890', 'q-' || g, 'tutoring', now() - interval '10 days', 'archived', 'r/q' || g FROM generate_series(1, $1) g`,
      [recordings],
    );
    await db.query(
      `WITH recs AS (SELECT id, row_number() OVER (ORDER BY substr(storage_prefix, 4)::int) AS n FROM recordings)
       INSERT INTO artifacts (recording_id, kind, storage_key, content_type, status, size_bytes, expires_at, retention_class, policy_profile, policy_version)
       SELECT recs.id, 'audio', 'r/q/' || g || '.m4a', 'audio/mp4', 'stored', 256,
              CASE WHEN ${expiredWhen} THEN now() - (g % 1440) * interval '1 minute'
                   ELSE now() + interval '1 day' + (g % 150000) * interval '10 minutes' END,
              'media', 'tutoring', 1
       FROM generate_series(1, $1) g JOIN recs ON recs.n = (g - 1) / ${PER_RECORDING} + 1
       ORDER BY g`,
      [rows],
    );
    // A few active holds on people and sessions that have nothing expired: the sweep's NOT-held
    // test has work to do on every row it reads.
    for (let i = 0; i < 5; i += 1) {
      await db.query(`INSERT INTO holds (scope, target_id, reason, placed_by, placed_at) VALUES ($1, $2, 'legal', 'bench', now())`, [
        i % 2 ? 'person' : 'session',
        i % 2 ? `bench-other-person-${i}` : `bench-other-session-${i}`,
      ]);
    }
    await db.query('VACUUM ANALYZE');
    const expired = (await db.query(`SELECT count(*)::int AS n FROM artifacts WHERE status = 'stored' AND expires_at <= now()`)).rows[0].n;
    const sizes = (
      await db.query(`SELECT pg_relation_size('artifacts')::float AS t, pg_relation_size('artifacts_due')::float AS i`)
    ).rows[0];

    const at = new Date();
    // The scheduled sweep's form of the query: it also leaves out what it queued in the last 15 minutes.
    const queuedBefore = new Date(at.getTime() - 15 * 60_000);
    const pageTimes: number[] = [];
    const firstPages: number[] = [];
    const walks: number[] = [];
    let pagesPerWalk = 0;
    let laterCursor: { at: string; id: string } | null = null;
    for (let r = 0; r < QUERY_REPEATS + 2; r += 1) {
      let cursor: { at: string; id: string } | null = null;
      let pages = 0;
      const walkStart = process.hrtime.bigint();
      for (;;) {
        const { sql, params } = expiredPageQuery(at, cursor, queuedBefore);
        const t0 = process.hrtime.bigint();
        const page = (await db.query(sql, params)).rows as Array<{ id: string; cursor_at: string }>;
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        // The first two walks warm the cache; they are not counted.
        if (r >= 2) {
          pageTimes.push(ms);
          if (pages === 0) firstPages.push(ms);
        }
        if (page.length === 0) break;
        pages += 1;
        const last = page[page.length - 1];
        cursor = { at: last.cursor_at, id: last.id };
        if (pages === 5) laterCursor = cursor;
        if (page.length < 1000) break;
      }
      if (r >= 2) walks.push(Number(process.hrtime.bigint() - walkStart) / 1e6);
      pagesPerWalk = pages;
    }
    const explain = async (cursor: { at: string; id: string } | null) => {
      const { sql, params } = expiredPageQuery(at, cursor, queuedBefore);
      return ((await db.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) ${sql}`, params)).rows as Array<{ 'QUERY PLAN': string }>)
        .map((row) => row['QUERY PLAN'])
        .join('\n');
    };
    const planFirstPage = await explain(null);
    const planLaterPage = await explain(laterCursor);
    const sorted = [...pageTimes].sort((a, b) => a - b);
    return {
      layout,
      rows,
      expired,
      pagesPerWalk,
      pageMs: { median: round(median(pageTimes), 3), p95: round(percentile(sorted, 95), 3), first: round(median(firstPages), 3), max: round(sorted[sorted.length - 1], 3) },
      walkMsMedian: round(median(walks), 2),
      usesArtifactsDue: /artifacts_due/.test(planFirstPage) && /artifacts_due/.test(planLaterPage),
      planFirstPage,
      planLaterPage,
      tableMB: round(sizes.t / 1e6, 1),
      indexMB: round(sizes.i / 1e6, 1),
    };
  } finally {
    await db.end();
    await dropDatabase(databaseUrl);
  }
}

runBench('retention-sweep', async (cleanup) => {
  const machine = await machineInfo();
  log(`machine: ${describeMachine(machine)}`);
  const figures: Figure[] = [];

  const queries: QueryResult[] = [];
  if (PARTS.includes('query')) {
    for (const layout of QUERY_LAYOUTS) {
      const sized: QueryResult[] = [];
      for (const rows of QUERY_ROWS) {
        const q = await queryCost(rows, layout, cleanup);
        log(`query cost (${layout}): ${rows} rows: page median ${q.pageMs.median} ms (p95 ${q.pageMs.p95}), ${q.pagesPerWalk} pages, artifacts_due used: ${q.usesArtifactsDue}`);
        sized.push(q);
      }
      queries.push(...sized);
      if (sized.length < 2) continue;
      const [small, large] = [sized[0], sized[sized.length - 1]];
      const ratio = large.pageMs.median / small.pageMs.median;
      figures.push(
        figure({
          name: `sweep page (1000 of ${large.expired} expired, ${layout}), ${large.rows.toLocaleString('en')} rows`,
          value: large.pageMs.median,
          unit: 'ms',
          baselineName: `same with ${small.rows.toLocaleString('en')} rows`,
          baseline: small.pageMs.median,
          goal: `≤ ${GOAL_QUERY_RATIO}×`,
          met: ratio <= GOAL_QUERY_RATIO && large.usesArtifactsDue && small.usesArtifactsDue,
          note: `plan walks artifacts_due: ${large.usesArtifactsDue && small.usesArtifactsDue}; p95 ${large.pageMs.p95} vs ${small.pageMs.p95} ms; whole walk ${large.walkMsMedian} vs ${small.walkMsMedian} ms`,
        }),
      );
    }
  }

  let t: ThroughputResult | null = null;
  if (PARTS.includes('throughput')) {
    t = await throughput(cleanup);
    const throughputRatio = t.service.artifactsPerSecond / t.baseline.keysPerSecond;
    figures.unshift(
      figure({
        name: `sweep + delete, ${t.artifacts.toLocaleString('en')} expired artifacts`,
        value: t.service.artifactsPerSecond,
        unit: 'artifacts/s',
        baselineName: 'bare DeleteObjects, 1000 keys per call',
        baseline: t.baseline.keysPerSecond,
        goal: `≥ ${GOAL_THROUGHPUT_RATIO}×`,
        met: throughputRatio >= GOAL_THROUGHPUT_RATIO,
        note: `${t.service.seconds} s vs ${t.baseline.seconds} s; CPU s: worker ${t.service.cpuSeconds.worker}, s3rver ${t.service.cpuSeconds.s3rver} (baseline ${t.baseline.cpuSeconds.s3rver}), postgres ${t.service.cpuSeconds.postgres}; other processes ${t.service.cpuSeconds.otherProcesses} (baseline ${t.baseline.cpuSeconds.otherProcesses})${t.disturbed ? ' — DISTURBED: other processes took more than 0.25 cores' : ''}`,
      }),
    );
  }

  printFigures('retention sweep', figures);
  for (const q of queries) process.stdout.write(`\n-- plan, first page, ${q.rows} rows, ${q.layout} --\n${q.planFirstPage}\n-- plan, a later page --\n${q.planLaterPage}\n`);
  const file = writeResults('retention-sweep', {
    bench: 'retention-sweep',
    machine,
    setup: {
      objectStore: 'embedded s3rver alone in its own process (bench/s3-server.ts), files under a temp dir',
      worker: 'RUN_MODE=worker, RETENTION_SWEEP_INTERVAL_MS=250, retention queue concurrency 4',
      objects: `${BODY_BYTES} bytes each, put ${PUT_CONCURRENCY} at a time`,
    },
    throughput: t,
    queryCost: queries,
    figures,
  });
  process.stdout.write(`  results: ${path.relative(ROOT, file)}\n`);
});
