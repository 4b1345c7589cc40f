// Shared plumbing for the benchmark scripts (bench/*.ts, compiled to dist/bench/*.js by
// `node scripts/build.js`): the machine, child processes of the real service, fresh databases,
// /proc sampling, and the results file. Not a benchmark itself.
import { S3Client } from '@aws-sdk/client-s3';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { freePort } from '../test/support/ports';
import { createDatabase as createSharedDatabase, dropDatabase as dropSharedDatabase } from '../test/support/database';

/** The repository root (this file runs from dist/bench/). */
export const ROOT = path.resolve(__dirname, '..', '..');
export const SERVICE_MAIN = path.join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
export const PG_ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const BENCH_ZOOM_SECRET = 'bench-zoom-webhook-secret';

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;
/** Decimal megabytes: every "MB" and "MB/s" in the results is 10^6 bytes. */
export const MB = 1_000_000;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

// --- the machine ---------------------------------------------------------------------------------

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  kernel: string;
  postgres?: string;
  redis?: string;
  date: string;
  /** The commit under test, and how many files differed from it (parallel work in progress). */
  gitCommit?: string;
  gitChangedFiles?: number;
}

export async function machineInfo(): Promise<MachineInfo> {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const lscpu = execFileSync('lscpu', { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    cpuModel = /^Model name:\s*(.+)$/m.exec(lscpu)?.[1].trim() ?? cpuModel;
  } catch {
    // lscpu missing: keep what Node saw.
  }
  const info: MachineInfo = {
    cpuModel,
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / GiB) * 10) / 10,
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
    date: new Date().toISOString(),
  };
  try {
    info.gitCommit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    info.gitChangedFiles = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean).length;
  } catch {
    // Not a git checkout.
  }
  try {
    const pg = new Client({ connectionString: PG_ADMIN_URL });
    await pg.connect();
    info.postgres = (await pg.query('SHOW server_version')).rows[0].server_version;
    await pg.end();
  } catch {
    // Reported as missing.
  }
  try {
    const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
    await redis.connect();
    info.redis = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1];
    redis.disconnect();
  } catch {
    // Reported as missing.
  }
  return info;
}

export function describeMachine(m: MachineInfo): string {
  return `${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, PostgreSQL ${m.postgres ?? '?'}, Redis ${m.redis ?? '?'}`;
}

// --- ports, databases, Redis ------------------------------------------------------------------------

export { freePort };

export function benchId(): string {
  return randomBytes(4).toString('hex');
}

/** A fresh, migrated database (the same helper the test suites use); returns its URL. */
export const createDatabase = (name: string): Promise<string> => createSharedDatabase(name, PG_ADMIN_URL);
export const dropDatabase = (url: string): Promise<void> => dropSharedDatabase(url, PG_ADMIN_URL);

/** Deletes every Redis key under `prefix:` (SCAN, so Redis is never blocked). Returns the count. */
export async function deleteRedisPrefix(prefix: string): Promise<number> {
  if (!/^[A-Za-z0-9_-]+$/.test(prefix)) throw new Error(`refusing to delete keys under "${prefix}"`);
  const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

// --- child processes ------------------------------------------------------------------------------

export class ChildService {
  private readonly lines: string[] = [];
  private exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly proc: ChildProcess,
    readonly baseUrl: string,
  ) {
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        this.lines.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
        if (this.lines.length > 60) this.lines.shift();
      }
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.proc.pid as number;
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  tail(n = 20): string {
    return this.lines.slice(-n).join('\n');
  }

  async waitHealthy(timeoutMs = 60_000, pathname = '/health'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited during start-up:\n${this.tail()}`);
      try {
        const res = await fetch(`${this.baseUrl}${pathname}`, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        if (res.ok) return;
      } catch {
        // Not listening yet.
      }
      await sleep(100);
    }
    throw new Error(`${this.name} did not answer ${pathname} within ${timeoutMs} ms:\n${this.tail()}`);
  }

  /** SIGTERM, then SIGKILL after `graceMs`. Only this child is signalled. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.proc.kill('SIGTERM');
    const done = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!done && this.running) {
      this.proc.kill('SIGKILL');
      await this.exited;
    }
  }
}

/** Starts a built Node script as a child on a free loopback port and waits for its health route. */
export async function startChild(
  name: string,
  script: string,
  env: Record<string, string>,
  opts: { healthPath?: string; nodeArgs?: string[] } = {},
): Promise<ChildService> {
  const port = await freePort();
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), script], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child = new ChildService(name, proc, `http://127.0.0.1:${port}`);
  try {
    await child.waitHealthy(60_000, opts.healthPath ?? '/health');
  } catch (error) {
    await child.stop(2000);
    throw error;
  }
  return child;
}

/** The embedded S3 server alone in its own process (bench/s3-server.ts), so its CPU is apart from the client's and the service's. */
export async function startS3Server(dataDir: string, bucket = 'recordings'): Promise<{ proc: ChildProcess; port: number; endpoint: string }> {
  const port = await freePort();
  const proc = spawn(process.execPath, [path.join(ROOT, 'dist', 'bench', 's3-server.js')], {
    env: { ...process.env, PORT: String(port), S3_DATA_DIR: dataDir, S3_BUCKET: bucket },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.once('data', () => resolve());
    proc.once('exit', (code) => reject(new Error(`s3 server exited (${code})`)));
  });
  return { proc, port, endpoint: `http://127.0.0.1:${port}` };
}

/** An S3 client for the embedded server, set up as the service's adapter is. */
export function s3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
}

/**
 * The environment of the built service as a benchmark starts it: production mode, its own
 * database and queue prefix, the embedded S3 server of the benchmark (joined, not started), fresh
 * secrets unless given.
 */
export function benchServiceEnv(o: {
  runMode: 'api' | 'worker';
  databaseUrl: string;
  queuePrefix: string;
  s3: { port: number; dataDir: string; bucket: string };
  jwtSecret?: string;
  masterKey?: Buffer;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    RUN_MODE: o.runMode,
    DATABASE_URL: o.databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: o.queuePrefix,
    S3_EMBEDDED_PORT: String(o.s3.port),
    S3_DATA_DIR: o.s3.dataDir,
    S3_BUCKET: o.s3.bucket,
    ZOOM_WEBHOOK_SECRET_TOKEN: randomBytes(16).toString('hex'),
    MEDIA_MASTER_KEY: (o.masterKey ?? randomBytes(32)).toString('base64'),
    AUTH_JWT_SECRET: o.jwtSecret ?? randomBytes(32).toString('hex'),
    ...o.extra,
  };
}

// --- /proc sampling ---------------------------------------------------------------------------------

const CLOCK_TICKS = 100; // USER_HZ on Linux

export interface ProcMemory {
  rssBytes: number;
  hwmBytes: number;
}

export function readProcMemory(pid: number): ProcMemory | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s*(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rssBytes: kb('VmRSS'), hwmBytes: kb('VmHWM') };
  } catch {
    return null;
  }
}

export interface ProcCpu {
  /** Seconds of CPU used by the process itself. */
  self: number;
  /** Seconds used by its children that have exited and been waited for (e.g. ffprobe). */
  children: number;
}

export function readProcCpu(pid: number): ProcCpu | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
    const n = (field: number) => Number(fields[field - 3]);
    return { self: (n(14) + n(15)) / CLOCK_TICKS, children: (n(16) + n(17)) / CLOCK_TICKS };
  } catch {
    return null;
  }
}

/** CPU seconds used so far by each process whose command name is one of `names` (postgres, redis-server), by pid. */
export function cpuOfCommands(names: string[]): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!names.some((name) => comm === name || comm.startsWith(`${name}:`))) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byPid.set(Number(entry), (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS);
    } catch {
      // Gone meanwhile.
    }
  }
  return byPid;
}

/**
 * CPU seconds used between two `cpuOfCommands` snapshots: processes present at the end count from
 * their earlier value (or from zero when they started meanwhile); processes that exited meanwhile
 * are lost, so this is a lower bound.
 */
export function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += Math.max(0, seconds - (before.get(pid) ?? 0));
  return total;
}

/** The whole machine from /proc/stat, in CPU seconds: busy (user+nice+system+irq+softirq+steal) and iowait. */
export function machineCpu(): { busy: number; iowait: number; idle: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return { busy: (user + nice + system + irq + softirq + (steal || 0)) / CLOCK_TICKS, iowait: iowait / CLOCK_TICKS, idle: idle / CLOCK_TICKS };
}

/** Samples a process's VmRSS/VmHWM every `intervalMs` until stopped. */
export class MemorySampler {
  private timer: NodeJS.Timeout | null = null;
  peakRssBytes = 0;
  lastHwmBytes = 0;
  samples = 0;
  /** [milliseconds since start, VmRSS bytes] of every sample. */
  readonly timeline: Array<[number, number]> = [];
  private startedAt = 0;

  constructor(
    private readonly pid: number,
    private readonly intervalMs = 100,
  ) {}

  start(): this {
    this.startedAt = Date.now();
    const sample = () => {
      const mem = readProcMemory(this.pid);
      if (!mem) return;
      this.samples += 1;
      const at = Date.now() - this.startedAt;
      this.timeline.push([at, mem.rssBytes]);
      this.peakRssBytes = Math.max(this.peakRssBytes, mem.rssBytes);
      this.lastHwmBytes = Math.max(this.lastHwmBytes, mem.hwmBytes);
    };
    sample();
    this.timer = setInterval(sample, this.intervalMs);
    return this;
  }

  stop(): { peakRssBytes: number; hwmBytes: number; samples: number } {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const mem = readProcMemory(this.pid);
    if (mem) {
      this.peakRssBytes = Math.max(this.peakRssBytes, mem.rssBytes);
      this.lastHwmBytes = Math.max(this.lastHwmBytes, mem.hwmBytes);
    }
    return { peakRssBytes: this.peakRssBytes, hwmBytes: this.lastHwmBytes, samples: this.samples };
  }
}

// --- numbers and results ------------------------------------------------------------------------------

export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function ratio(value: number, baseline: number): number {
  return baseline > 0 ? round(value / baseline, 3) : NaN;
}

export function mb(bytes: number): number {
  return round(bytes / MB, 1);
}

export interface Figure {
  name: string;
  value: number;
  unit: string;
  baselineName: string;
  baseline: number;
  /** value / baseline */
  ratio: number;
  goal?: string;
  met?: boolean;
  note?: string;
}

export function figure(f: Omit<Figure, 'ratio'>): Figure {
  return { ...f, value: round(f.value, 2), baseline: round(f.baseline, 2), ratio: ratio(f.value, f.baseline) };
}

export function printFigures(title: string, figures: Figure[]): void {
  const lines = [`\n== ${title} ==`];
  for (const f of figures) {
    const goal = f.goal ? `  goal ${f.goal}: ${f.met === undefined ? 'n/a' : f.met ? 'MET' : 'MISSED'}` : '';
    lines.push(`  ${f.name}: ${f.value} ${f.unit}  (vs ${f.baselineName}: ${f.baseline} ${f.unit}; ratio ${f.ratio}×)${goal}`);
    if (f.note) lines.push(`      ${f.note}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Writes bench/results/<run id>-<name>.json and returns its path. */
export function writeResults(name: string, data: object): string {
  const dir = path.join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const runId = process.env.BENCH_RUN_ID ?? new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(dir, `${runId}-${name}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

/** Runs `fn` with cleanups that also run on SIGINT/SIGTERM; exits non-zero on failure. */
export function runBench(name: string, fn: (cleanup: (step: () => Promise<unknown> | unknown) => void) => Promise<void>): void {
  const steps: Array<() => Promise<unknown> | unknown> = [];
  let cleaning: Promise<void> | null = null;
  const cleanupAll = () =>
    (cleaning ??= (async () => {
      for (const step of steps.reverse()) {
        try {
          await step();
        } catch (error) {
          log(`cleanup step failed: ${(error as Error).message}`);
        }
      }
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: cleaning up`);
    void cleanupAll().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  fn((step) => steps.push(step))
    .then(
      () => cleanupAll().then(() => process.exit(0)),
      (error: Error) => {
        log(`${name} failed: ${error.stack ?? error.message}`);
        return cleanupAll().then(() => process.exit(1));
      },
    );
}

/** Milliseconds one synchronous call takes. */
export function timeMs(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/**
 * A CPU-only figure and its baseline, timed interleaved after a warm-up so a disturbance on the
 * machine hits both alike: each side's timings, sorted (for percentiles).
 */
export function interleavedTimings(measured: () => void, baseline: () => void, opts: { warmUp: number; runs: number }): { measuredMs: number[]; baselineMs: number[] } {
  for (let i = 0; i < opts.warmUp; i++) {
    measured();
    baseline();
  }
  const measuredMs: number[] = [];
  const baselineMs: number[] = [];
  for (let i = 0; i < opts.runs; i++) {
    measuredMs.push(timeMs(measured));
    baselineMs.push(timeMs(baseline));
  }
  return { measuredMs: measuredMs.sort((a, b) => a - b), baselineMs: baselineMs.sort((a, b) => a - b) };
}
