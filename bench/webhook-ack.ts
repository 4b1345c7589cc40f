// Webhook acknowledgement under load (issue 2, "Ingest").
//
//   node dist/bench/webhook-ack.js        (or: bash scripts/bench.sh webhook)
//
// The real service runs as a child process in RUN_MODE=api, so no worker competes for the two
// cores; it receives signed `recording.completed` deliveries of which 70% repeat a body already
// sent (byte-identical retries). The baseline, measured in the same run, is a bare NestJS route on
// the same stack (Nest 11 + FastifyAdapter, bench/bare-route-app.ts) in its own child process,
// sent the very same requests. Phases:
//   (i)  maximum throughput: 50 connections for 10 s, bare route then webhook;
//   (ii) a fixed 1,000 req/s for 10 s (autocannon overallRate), bare route then webhook: p50/p99.
// After a warm-up, BENCH_WEBHOOK_REPEATS (3) repeats of (i) and (ii); figures are medians over the
// repeats that other processes on the machine did not disturb. Afterwards a worker drains the
// queue, and the inbox rows and recordings are counted: each must equal the number of distinct
// deliveries sent. BENCH_CPU_PROF=1 writes the service's CPU profile to bench/results/profiles.
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { EventFileSpec, fakeDownloadToken, FakeZoomHost, recordingCompletedEvent, signedHeaders } from '@lib/zoom-simulator';
import { seeded } from '../test/support/seeded-random';
import {
  BENCH_ZOOM_SECRET,
  benchId,
  cpuDelta,
  cpuOfCommands,
  createDatabase,
  deleteRedisPrefix,
  describeMachine,
  dropDatabase,
  Figure,
  figure,
  freePort,
  log,
  machineCpu,
  machineInfo,
  PG_ADMIN_URL,
  percentile,
  printFigures,
  readProcCpu,
  REDIS_URL,
  ROOT,
  round,
  runBench,
  SERVICE_MAIN,
  sleep,
  startChild,
  writeResults,
} from './support';

const WEBHOOK_PATH = '/webhooks/zoom';
const BARE_PATH = '/bare';
const DUPLICATE_SHARE = 0.7;
const THROUGHPUT = { connections: 50, durationSeconds: 10 };
const FIXED_RATE = { rate: 1000, connections: 10, durationSeconds: 10 };
const WARMUP_SECONDS = 5;
const REPEATS = Math.max(1, Number(process.env.BENCH_WEBHOOK_REPEATS ?? 3));
const GOAL_P99_MS = 50;
const GOAL_THROUGHPUT_RATIO = 0.4;
const DRAIN_TIMEOUT_MS = 900_000;
/** BENCH_WEBHOOK_DRAIN=0 skips the drain and its counts (quicker, for profiling the acknowledgement alone). */
const DRAIN = process.env.BENCH_WEBHOOK_DRAIN !== '0';
/** A phase during which other processes used more than this many cores is "disturbed". */
const DISTURBED_CORES = 0.25;
const EXTRA_REPEATS = Math.max(0, Number(process.env.BENCH_WEBHOOK_EXTRA_REPEATS ?? 2));

interface PooledDelivery {
  uuid: string;
  body: Buffer;
  headers: Record<string, string>;
}

/**
 * Pre-built, pre-signed deliveries (the replay window is 5 minutes: each pool is built just
 * before the phase that uses it). Every body is a distinct recording.
 */
function buildPool(count: number, files: EventFileSpec[], downloadToken: string): PooledDelivery[] {
  const timestamp = Math.floor(Date.now() / 1000);
  const pool: PooledDelivery[] = [];
  for (let i = 0; i < count; i += 1) {
    const event = recordingCompletedEvent({ downloadToken, files, durationMinutes: 45, topic: `Maths tutoring, group ${i % 97}` });
    const raw = JSON.stringify(event);
    const headers = signedHeaders(BENCH_ZOOM_SECRET, raw, timestamp);
    delete headers['x-zm-trackingid']; // fresh per request, as Zoom's
    pool.push({ uuid: event.payload.object.uuid, body: Buffer.from(raw), headers });
  }
  return pool;
}


/**
 * Picks pool entries so that exactly 30% of requests carry a body never sent before and 70% repeat
 * one already sent (uniformly among those). When the pool runs out, every further pick repeats.
 */
class DuplicateMix {
  used = 0;
  picks = 0;
  exhausted = 0;
  private readonly random: () => number;

  constructor(
    private readonly size: number,
    seed: number,
  ) {
    this.random = seeded(seed);
  }

  pick(): number {
    const i = this.picks++;
    const fresh = 1 - DUPLICATE_SHARE;
    const wantNew = this.used === 0 || Math.floor((i + 1) * fresh) > Math.floor(i * fresh);
    if (wantNew && this.used < this.size) return this.used++;
    if (wantNew) this.exhausted += 1;
    return Math.floor(this.random() * this.used);
  }
}

interface PhaseResult {
  label: string;
  target: 'webhook' | 'bare';
  connections: number;
  overallRate: number | null;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** From every response's own timing (sub-millisecond, no synthetic samples). */
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** autocannon's own histogram (1 ms resolution; with a rate it adds coordinated-omission samples). */
  autocannonLatencyMs: { p50: number; p90: number; p99: number; max: number };
  distinctBodiesSent: number;
  distinctBodiesAnswered: number;
  duplicateShareAnswered: number;
  poolExhaustedPicks: number;
  answers: Record<string, number>;
  cpuCoresUsed: Record<string, number>;
  /** Webhook phases: average number of the service's PostgreSQL sessions in each state per sample. */
  postgresSessions?: Record<string, number>;
  /** Webhook phases: the service's event-loop delay during the phase (prom-client). */
  serviceEventLoopDelay?: Record<string, number>;
  uuidsSent: string[];
}

interface Rep {
  bareMax: PhaseResult;
  hookMax: PhaseResult;
  bareRate: PhaseResult;
  hookRate: PhaseResult;
}

function isDisturbed(p: PhaseResult): boolean {
  return (p.cpuCoresUsed['other processes on the machine'] ?? 0) > DISTURBED_CORES;
}

interface Targets {
  baseUrl: { webhook: string; bare: string };
  pids: { webhook: number; bare: number };
  pgAdmin: Client;
  database: string;
}

let trackingCounter = 0;

async function runPhase(
  label: string,
  target: 'webhook' | 'bare',
  pool: PooledDelivery[],
  targets: Targets,
  opts: { connections: number; durationSeconds: number; overallRate?: number; seed: number },
): Promise<PhaseResult> {
  const mix = new DuplicateMix(pool.length, opts.seed);
  const answeredPerBody = new Uint32Array(pool.length);
  const answers: Record<string, number> = {};
  const latencies: number[] = [];
  const pgSampler = target === 'webhook' ? new PgActivitySampler(targets.pgAdmin, targets.database) : null;
  if (target === 'webhook') await eventLoopLag(targets.baseUrl.webhook); // resets the histogram
  pgSampler?.start();
  const cpuBefore = cpuSnapshot(targets);

  const instance = autocannon({
    url: targets.baseUrl[target],
    connections: opts.connections,
    duration: opts.durationSeconds,
    overallRate: opts.overallRate,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: target === 'webhook' ? WEBHOOK_PATH : BARE_PATH,
        setupRequest: (request, context) => {
          const index = mix.pick();
          context.index = index;
          const delivery = pool[index];
          trackingCounter += 1;
          request.body = delivery.body;
          request.headers = { ...delivery.headers, 'x-zm-trackingid': `v=2.0;clid=us06;rid=WEB_${trackingCounter.toString(16).padStart(32, '0')}` };
          return request;
        },
        onResponse: (status, body, context) => {
          if (status >= 200 && status < 300) answeredPerBody[context.index as number] += 1;
          let answer = String(status);
          if (target === 'webhook' && status === 200) {
            try {
              answer = (JSON.parse(body) as { status?: string }).status ?? 'other';
            } catch {
              answer = 'unparsable';
            }
          }
          answers[answer] = (answers[answer] ?? 0) + 1;
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  const result = await instance;
  const cpuAfter = cpuSnapshot(targets);
  const postgresSessions = pgSampler?.stop();
  const serviceEventLoopDelay = target === 'webhook' ? await eventLoopLag(targets.baseUrl.webhook) : undefined;

  const sorted = Float64Array.from(latencies).sort();
  const answered = answeredPerBody.reduce((n, c) => n + (c > 0 ? 1 : 0), 0);
  const answeredTotal = answeredPerBody.reduce((n, c) => n + c, 0);
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
  const cpuCoresUsed = coresUsed(cpuBefore, cpuAfter);
  return {
    label,
    target,
    connections: opts.connections,
    overallRate: opts.overallRate ?? null,
    durationSeconds: result.duration,
    requests: result.requests.total,
    requestsPerSecond: round(result.requests.total / result.duration, 1),
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    latencyMs: {
      p50: round(percentile(sorted, 50), 2),
      p90: round(percentile(sorted, 90), 2),
      p99: round(percentile(sorted, 99), 2),
      max: round(sorted[sorted.length - 1] ?? NaN, 2),
      mean: round(latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length), 2),
    },
    autocannonLatencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    distinctBodiesSent: mix.used,
    distinctBodiesAnswered: answered,
    duplicateShareAnswered: round(answeredTotal > 0 ? 1 - answered / answeredTotal : 0, 3),
    poolExhaustedPicks: mix.exhausted,
    answers,
    cpuCoresUsed,
    postgresSessions,
    serviceEventLoopDelay,
    uuidsSent: pool.slice(0, mix.used).map((d) => d.uuid),
  };
}

interface CpuSnapshot {
  at: bigint;
  bench: number;
  service: number;
  bare: number;
  postgres: Map<number, number>;
  redis: Map<number, number>;
  machine: { busy: number; iowait: number };
}

function cpuSnapshot(targets: Targets): CpuSnapshot {
  const usage = process.cpuUsage();
  return {
    at: process.hrtime.bigint(),
    bench: (usage.user + usage.system) / 1e6,
    service: readProcCpu(targets.pids.webhook)?.self ?? 0,
    bare: readProcCpu(targets.pids.bare)?.self ?? 0,
    postgres: cpuOfCommands(['postgres']),
    redis: cpuOfCommands(['redis-server']),
    machine: machineCpu(),
  };
}

/** Cores used on average between two snapshots, by process group; "other" is everything else on the machine. */
function coresUsed(a: CpuSnapshot, b: CpuSnapshot): Record<string, number> {
  const seconds = Number(b.at - a.at) / 1e9;
  const used = {
    'load generator (autocannon, bench process)': b.bench - a.bench,
    'service (RUN_MODE=api)': b.service - a.service,
    'bare route app': b.bare - a.bare,
    postgres: cpuDelta(a.postgres, b.postgres),
    redis: cpuDelta(a.redis, b.redis),
  };
  const ours = Object.values(used).reduce((x, y) => x + y, 0);
  const machineBusy = b.machine.busy - a.machine.busy;
  return Object.fromEntries(
    Object.entries({
      ...used,
      'other processes on the machine': Math.max(0, machineBusy - ours),
      'machine busy (all)': machineBusy,
      'machine iowait': b.machine.iowait - a.machine.iowait,
    }).map(([k, v]) => [k, round(v / seconds, 2)]),
  );
}

/** What the service's PostgreSQL sessions are doing, sampled every 100 ms (state/wait event → samples). */
class PgActivitySampler {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  readonly counts: Record<string, number> = {};
  samples = 0;

  constructor(
    private readonly admin: Client,
    private readonly database: string,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      this.admin
        .query(
          `SELECT state, wait_event_type, wait_event FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'`,
          [this.database],
        )
        .then((res) => {
          this.samples += 1;
          for (const row of res.rows as Array<{ state: string | null; wait_event_type: string | null; wait_event: string | null }>) {
            const key = `${row.state ?? '?'}${row.wait_event ? ` / ${row.wait_event_type}:${row.wait_event}` : ' / on CPU'}`;
            this.counts[key] = (this.counts[key] ?? 0) + 1;
          }
        })
        .catch(() => undefined)
        .finally(() => (this.busy = false));
    }, 100);
  }

  stop(): Record<string, number> {
    if (this.timer) clearInterval(this.timer);
    const perSample = Object.fromEntries(
      Object.entries(this.counts)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => [k, round(v / Math.max(1, this.samples), 2)]),
    );
    return perSample;
  }
}

/** prom-client samples the event loop with a 10 ms timer, and its figures include those 10 ms. */
const EVENT_LOOP_RESOLUTION_MS = 10;

/**
 * The service's event-loop delay over a phase, from its /metrics (prom-client resets the histogram
 * at each scrape), less the sampling resolution: 0 means an idle loop.
 */
async function eventLoopLag(baseUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const name of ['p50', 'p90', 'p99', 'max']) {
    const value = new RegExp(`^nodejs_eventloop_lag_${name}_seconds (\\S+)$`, 'm').exec(text)?.[1];
    if (value !== undefined) out[`${name}Ms`] = round(Math.max(0, Number(value) * 1000 - EVENT_LOOP_RESOLUTION_MS), 2);
  }
  return out;
}

function describePhase(p: PhaseResult): string {
  return (
    `${p.label}: ${p.requests} requests, ${p.requestsPerSecond} req/s, p50 ${p.latencyMs.p50} ms, p99 ${p.latencyMs.p99} ms, ` +
    `non-2xx ${p.non2xx}, errors ${p.errors}, distinct ${p.distinctBodiesAnswered}, duplicates ${Math.round(p.duplicateShareAnswered * 100)}%`
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function poolSizeFor(expectedRequests: number): number {
  return Math.ceil(expectedRequests * (1 - DUPLICATE_SHARE) * 1.5) + 200;
}

runBench('webhook-ack', async (cleanup) => {
  const machine = await machineInfo();
  log(`machine: ${describeMachine(machine)}`);
  const id = benchId();
  const queuePrefix = `bench-webhook-${id}`;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'rec-bench-webhook-'));
  cleanup(() => rmSync(tmp, { recursive: true, force: true }));

  // Small files for the deliveries to name (nothing is downloaded during the load phases).
  const downloadToken = fakeDownloadToken();
  const host = new FakeZoomHost({ downloadToken });
  await host.start();
  cleanup(() => host.stop());
  const served = (content: Buffer, contentType: string) => host.addFile({ content, contentType });
  const mp4 = served(randomBytes(4096), 'video/mp4');
  const m4a = served(randomBytes(2048), 'audio/mp4');
  const vtt = served(Buffer.from('WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nMs Rivera: Hello everyone.\n'), 'text/vtt');
  const chat = served(Buffer.from('00:00:05\tElisa L:\tHello!\n'), 'text/plain');
  const timeline = served(Buffer.from('{"timeline":[]}'), 'application/json');
  // Zoom's "processing" status on the files (it occurs in real deliveries): the drain worker's
  // archive jobs then postpone themselves instead of downloading, so the drain is the ingest jobs
  // whose results are counted. The webhook itself does not look at it.
  const files: EventFileSpec[] = [
    { fileType: 'MP4', fileExtension: 'MP4', recordingType: 'shared_screen_with_speaker_view', downloadUrl: mp4.downloadUrl, size: mp4.size, status: 'processing' },
    { fileType: 'M4A', fileExtension: 'M4A', recordingType: 'audio_only', downloadUrl: m4a.downloadUrl, size: m4a.size, status: 'processing' },
    { fileType: 'TRANSCRIPT', fileExtension: 'VTT', recordingType: 'audio_transcript', downloadUrl: vtt.downloadUrl, size: vtt.size, status: 'processing' },
    { fileType: 'CHAT', fileExtension: 'TXT', recordingType: 'chat_file', downloadUrl: chat.downloadUrl, size: chat.size, status: 'processing' },
    { fileType: 'TIMELINE', fileExtension: 'JSON', downloadUrl: timeline.downloadUrl, status: 'processing' },
  ];

  log('creating a fresh database');
  const databaseUrl = await createDatabase(`rec_bench_webhook_${id}`);
  cleanup(() => dropDatabase(databaseUrl));
  cleanup(() => deleteRedisPrefix(queuePrefix));

  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    S3_EMBEDDED_PORT: String(await freePort()),
    S3_DATA_DIR: path.join(tmp, 's3'),
    ZOOM_WEBHOOK_SECRET_TOKEN: BENCH_ZOOM_SECRET,
    ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(','),
    MEDIA_MASTER_KEY: randomBytes(32).toString('base64'),
    AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
    ARCHIVE_CONCURRENCY: '1',
    // Thousands of webhooks a second from one loopback source: the per-source limit would answer 429.
    HTTP_PUBLIC_RATE_LIMIT_MAX: '0',
  };
  log('starting the service (RUN_MODE=api) and the bare route app');
  // BENCH_CPU_PROF=1: the service writes a V8 CPU profile into bench/results/profiles when it stops.
  const profileDir = path.join(ROOT, 'bench', 'results', 'profiles');
  const nodeArgs = process.env.BENCH_CPU_PROF === '1' ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const service = await startChild('service (api)', SERVICE_MAIN, { ...env, RUN_MODE: 'api' }, { nodeArgs });
  cleanup(() => service.stop());
  const bare = await startChild('bare route app', path.join(ROOT, 'dist', 'bench', 'bare-route-app.js'), {}, { nodeArgs });
  cleanup(() => bare.stop());
  const pgAdmin = new Client({ connectionString: PG_ADMIN_URL });
  await pgAdmin.connect();
  cleanup(() => pgAdmin.end());
  const targets: Targets = {
    baseUrl: { webhook: service.baseUrl, bare: bare.baseUrl },
    pids: { webhook: service.pid, bare: bare.pid },
    pgAdmin,
    database: new URL(databaseUrl).pathname.slice(1),
  };

  const bodyBytes = buildPool(50, files, downloadToken).map((d) => d.body.length);
  const meanBodyBytes = Math.round(bodyBytes.reduce((a, b) => a + b, 0) / bodyBytes.length);
  log(`request bodies: ${meanBodyBytes} bytes on average (recording.completed with ${files.length} files)`);

  const phases: PhaseResult[] = [];
  const run = async (
    label: string,
    target: 'webhook' | 'bare',
    opts: { connections: number; durationSeconds: number; overallRate?: number; expectedRps: number; seed: number },
  ) => {
    const pool = buildPool(poolSizeFor(opts.expectedRps * opts.durationSeconds), files, downloadToken);
    log(`${label}: ${opts.connections} connections, ${opts.overallRate ? `${opts.overallRate} req/s` : 'as fast as possible'}, ${opts.durationSeconds} s (pool of ${pool.length} distinct deliveries)`);
    const phase = await runPhase(label, target, pool, targets, opts);
    log(describePhase(phase));
    phases.push(phase);
    await sleep(1000);
    return phase;
  };

  // Warm-up (JIT, connection pools); its figures are kept in the results but not reported.
  await run('warm-up bare', 'bare', { connections: THROUGHPUT.connections, durationSeconds: WARMUP_SECONDS, expectedRps: 15_000, seed: 1 });
  const warm = await run('warm-up webhook', 'webhook', { connections: THROUGHPUT.connections, durationSeconds: WARMUP_SECONDS, expectedRps: 6_000, seed: 2 });

  // Each repeat measures the bare route and then the webhook, so drift on the machine hits both
  // alike. A pair during which other processes took more than DISTURBED_CORES is disturbed: up to
  // EXTRA_REPEATS more repeats run until REPEATS clean ones exist, and the figures use the clean ones.
  const reps: Rep[] = [];
  const clean = (pair: Array<PhaseResult>) => pair.every((p) => !isDisturbed(p));
  let expectedWebhookRps = Math.max(2000, warm.requestsPerSecond * 3);
  for (let rep = 1; rep <= REPEATS + EXTRA_REPEATS; rep += 1) {
    const cleanSoFar = reps.filter((r) => clean([r.bareMax, r.hookMax]) && clean([r.bareRate, r.hookRate])).length;
    if (rep > REPEATS && cleanSoFar >= REPEATS) break;
    if (rep > REPEATS) log(`only ${cleanSoFar} of ${reps.length} repeats ran undisturbed: one more`);
    const tag = ` #${rep}`;
    const fixed = { connections: FIXED_RATE.connections, durationSeconds: FIXED_RATE.durationSeconds, overallRate: FIXED_RATE.rate, expectedRps: FIXED_RATE.rate };
    const bareMax = await run(`max throughput, bare route${tag}`, 'bare', { ...THROUGHPUT, expectedRps: 15_000, seed: 10 * rep + 1 });
    const hookMax = await run(`max throughput, webhook${tag}`, 'webhook', { ...THROUGHPUT, expectedRps: expectedWebhookRps, seed: 10 * rep + 2 });
    expectedWebhookRps = Math.max(2000, hookMax.requestsPerSecond * 1.5);
    const bareRate = await run(`1,000 req/s, bare route${tag}`, 'bare', { ...fixed, seed: 10 * rep + 3 });
    const hookRate = await run(`1,000 req/s, webhook${tag}`, 'webhook', { ...fixed, seed: 10 * rep + 4 });
    reps.push({ bareMax, hookMax, bareRate, hookRate });
  }

  // The deliveries are in the inbox; a worker turns them into recordings.
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  cleanup(() => db.end());
  const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0].n);
  const inboxBeforeDrain = await count('SELECT count(*) AS n FROM webhook_deliveries');
  const deliveriesCounted = await count('SELECT coalesce(sum(delivery_count), 0) AS n FROM webhook_deliveries');
  log(`inbox: ${inboxBeforeDrain} rows for ${deliveriesCounted} deliveries; ${DRAIN ? 'starting a worker to drain it' : 'not drained (BENCH_WEBHOOK_DRAIN=0)'}`);
  const worker = DRAIN ? await startChild('worker', SERVICE_MAIN, { ...env, RUN_MODE: 'worker' }) : null;
  const drainStarted = Date.now();
  let drained = false;
  while (worker && Date.now() - drainStarted < DRAIN_TIMEOUT_MS) {
    const waiting = await count(`SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'received'`);
    if (waiting === 0) {
      drained = true;
      break;
    }
    await sleep(500);
  }
  const drainSeconds = round((Date.now() - drainStarted) / 1000, 1);
  await worker?.stop();
  if (worker) log(drained ? `drained in ${drainSeconds} s` : `NOT drained within ${DRAIN_TIMEOUT_MS / 1000} s`);

  const perPhase = [];
  for (const p of phases.filter((x) => x.target === 'webhook')) {
    perPhase.push({
      label: p.label,
      distinctBodiesSent: p.distinctBodiesSent,
      distinctBodiesAnswered: p.distinctBodiesAnswered,
      accepted: p.answers.accepted ?? 0,
      inboxRows: await count('SELECT count(*) AS n FROM webhook_deliveries WHERE zoom_meeting_uuid = ANY($1)', [p.uuidsSent]),
      recordings: await count('SELECT count(*) AS n FROM recordings WHERE zoom_meeting_uuid = ANY($1)', [p.uuidsSent]),
    });
  }
  const totals = {
    distinctBodiesSent: perPhase.reduce((n, p) => n + p.distinctBodiesSent, 0),
    distinctBodiesAnswered: perPhase.reduce((n, p) => n + p.distinctBodiesAnswered, 0),
    inboxRows: await count('SELECT count(*) AS n FROM webhook_deliveries'),
    inboxFailed: await count(`SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'failed'`),
    recordings: await count('SELECT count(*) AS n FROM recordings'),
    deliveriesCountedInInbox: deliveriesCounted,
    requestsAnswered2xx: phases.filter((x) => x.target === 'webhook').reduce((n, p) => n + p.ok2xx, 0),
  };
  const webhookPhases = phases.filter((x) => x.target === 'webhook');
  const non2xxWebhook = webhookPhases.reduce((n, p) => n + p.non2xx + p.errors + p.timeouts, 0);

  const med = (values: number[]) => round(median(values), 2);
  const list = (values: number[]) => values.map((v) => round(v, 2)).join(', ');
  const pick = (pairOf: (r: Rep) => PhaseResult[]) => {
    const undisturbed = reps.filter((r) => clean(pairOf(r)));
    return { used: undisturbed.length > 0 ? undisturbed : reps, disturbed: reps.length - undisturbed.length };
  };
  const maxReps = pick((r) => [r.bareMax, r.hookMax]);
  const rateReps = pick((r) => [r.bareRate, r.hookRate]);
  const hookRps = maxReps.used.map((r) => r.hookMax.requestsPerSecond);
  const bareRps = maxReps.used.map((r) => r.bareMax.requestsPerSecond);
  const hookP50 = rateReps.used.map((r) => r.hookRate.latencyMs.p50);
  const bareP50 = rateReps.used.map((r) => r.bareRate.latencyMs.p50);
  const hookP99 = rateReps.used.map((r) => r.hookRate.latencyMs.p99);
  const bareP99 = rateReps.used.map((r) => r.bareRate.latencyMs.p99);
  const achieved = rateReps.used.map((r) => r.hookRate.requestsPerSecond);
  const of = (n: number) => (n > 1 ? `, median of ${n}` : '');
  const disturbedNote = (d: { used: Rep[]; disturbed: number }) =>
    d.disturbed === 0
      ? ''
      : d.used.length === reps.length
        ? `; ALL ${reps.length} repeats were disturbed by other processes (> ${DISTURBED_CORES} cores): these figures are not reliable`
        : `; ${d.disturbed} disturbed repeat(s) left out`;
  const figures: Figure[] = [
    figure({
      name: `max throughput (50 connections, 10 s)${of(hookRps.length)}`,
      value: med(hookRps),
      unit: 'req/s',
      baselineName: 'bare Nest+Fastify route',
      baseline: med(bareRps),
      goal: `≥ ${GOAL_THROUGHPUT_RATIO * 100}% of the bare route`,
      met: med(hookRps) >= GOAL_THROUGHPUT_RATIO * med(bareRps),
      note:
        `per repeat: webhook ${list(hookRps)} req/s; bare ${list(bareRps)} req/s; ratios ${list(maxReps.used.map((r) => r.hookMax.requestsPerSecond / r.bareMax.requestsPerSecond))}` +
        disturbedNote(maxReps),
    }),
    figure({
      name: `p50 latency at 1,000 req/s${of(hookP50.length)}`,
      value: med(hookP50),
      unit: 'ms',
      baselineName: 'bare route at 1,000 req/s',
      baseline: med(bareP50),
      note: `per repeat: webhook ${list(hookP50)} ms; bare ${list(bareP50)} ms${disturbedNote(rateReps)}`,
    }),
    figure({
      name: `p99 latency at 1,000 req/s${of(hookP99.length)}`,
      value: med(hookP99),
      unit: 'ms',
      baselineName: 'bare route at 1,000 req/s',
      baseline: med(bareP99),
      goal: `< ${GOAL_P99_MS} ms`,
      met: med(hookP99) < GOAL_P99_MS && Math.min(...achieved) >= FIXED_RATE.rate * 0.95,
      note:
        `per repeat: webhook ${list(hookP99)} ms; bare ${list(bareP99)} ms; achieved ${list(achieved)} req/s; ` +
        `autocannon's own p99 (1 ms buckets, its coordinated-omission correction): webhook ${list(rateReps.used.map((r) => r.hookRate.autocannonLatencyMs.p99))} ms, ` +
        `bare ${list(rateReps.used.map((r) => r.bareRate.autocannonLatencyMs.p99))} ms${disturbedNote(rateReps)}`,
    }),
  ];

  const { hookMax, bareMax, hookRate } = reps[reps.length - 1];
  const otherLoad = Math.max(...phases.map((p) => p.cpuCoresUsed['other processes on the machine'] ?? 0));
  const busyWarning =
    otherLoad > DISTURBED_CORES
      ? `  WARNING: other processes used up to ${otherLoad} cores during a phase (the figures leave disturbed repeats out when undisturbed ones exist)\n`
      : '';
  const file = writeResults('webhook-ack', {
    bench: 'webhook-ack',
    machine,
    setup: {
      serviceRunMode: 'api (no worker in the process or on the machine during the load phases)',
      duplicateShare: DUPLICATE_SHARE,
      meanBodyBytes,
      filesPerDelivery: files.length,
      throughput: THROUGHPUT,
      fixedRate: FIXED_RATE,
      repeats: REPEATS,
      extraRepeatsWhenDisturbed: EXTRA_REPEATS,
      disturbedWhenOtherProcessesAboveCores: DISTURBED_CORES,
      warmupSeconds: WARMUP_SECONDS,
      loadGenerator: 'autocannon (programmatic, in the bench process, same machine)',
    },
    figures,
    phases: phases.map(({ uuidsSent, ...rest }) => ({ ...rest, uuidsSentCount: uuidsSent.length })),
    responsesNot2xx: non2xxWebhook,
    otherProcessesMaxCores: otherLoad,
    inbox: { perPhase, totals, drained, drainSeconds, drainDeliveriesPerSecond: round(inboxBeforeDrain / drainSeconds, 1) },
  });

  printFigures(`webhook acknowledgement — ${describeMachine(machine)}`, figures);
  process.stdout.write(
    `  all webhook responses 2xx: ${non2xxWebhook === 0 ? 'yes' : `NO (${non2xxWebhook} non-2xx/errors/timeouts)`}\n` +
      `  distinct deliveries answered ${totals.distinctBodiesAnswered} (sent ${totals.distinctBodiesSent}); inbox rows ${totals.inboxRows}; recordings ${totals.recordings}` +
      `${drained ? ` (a worker drained them in ${drainSeconds} s, ${round(inboxBeforeDrain / drainSeconds, 1)}/s)` : ' (queue NOT drained)'}; inbox counted ${totals.deliveriesCountedInInbox} deliveries for ${totals.requestsAnswered2xx} 2xx answers\n` +
      `  last repeat, CPU cores in use during max throughput: webhook ${JSON.stringify(hookMax.cpuCoresUsed)}; bare ${JSON.stringify(bareMax.cpuCoresUsed)}\n` +
      `  last repeat, service PostgreSQL sessions (mean per sample) during max throughput: ${JSON.stringify(hookMax.postgresSessions)}\n` +
      `  last repeat, service event-loop delay (less the 10 ms sampling resolution) during max throughput: ${JSON.stringify(hookMax.serviceEventLoopDelay)}; at 1,000 req/s: ${JSON.stringify(hookRate.serviceEventLoopDelay)}\n` +
      busyWarning +
      `  results: ${path.relative(ROOT, file)}\n`,
  );
});
