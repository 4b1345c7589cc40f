// Archiving throughput and worker memory (issue 2, "Ingest").
//
//   node dist/bench/archive-throughput.js      (or: bash scripts/bench.sh archive)
//   BENCH_ARCHIVE_SIZES_MIB=50,200 node dist/bench/archive-throughput.js   (a quick try)
//
// For each file size (200 MiB, then 2 GiB of incompressible bytes from generateLargeFile), served by
// a FakeZoomHost in this process over loopback:
//   baseline  a child process fetches the bytes from the fake host's signed storage URL with plain
//             `fetch` and streams them into @aws-sdk/lib-storage Upload (8 MiB parts, queueSize 4)
//             into the same embedded s3rver, another bucket;
//   service   a `recording.completed` webhook goes to the service (RUN_MODE=api, which also hosts
//             the embedded s3rver), and a worker process (RUN_MODE=worker, started fresh for each
//             file so its peak RSS is that file's) archives the file; the time runs from the webhook
//             to the artifact's status 'stored' in the database (polled every 200 ms).
// The file is registered as MP4 ('video/mp4'), so the service's ffprobe tap runs on it (random
// bytes: ffprobe fails, which is fine); the ffprobe processes are watched to see what they cost.
// Each size runs BENCH_ARCHIVE_REPEATS times (default 3), baseline and service alternating; the
// figures are medians. With BENCH_ARCHIVE_NO_PROBE_RUN=1 (default) each repeat of the largest file
// also archives it registered as a CSV (kind 'other': no probe), to isolate the probe's share.
import { CreateBucketCommand, DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statfsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { EventFileSpec, fakeDownloadToken, FakeZoomHost, generateLargeFile, recordingCompletedEvent, sendWebhook } from '@lib/zoom-simulator';
import {
  BENCH_ZOOM_SECRET,
  benchId,
  ChildService,
  cpuDelta,
  cpuOfCommands,
  createDatabase,
  deleteRedisPrefix,
  describeMachine,
  dropDatabase,
  Figure,
  figure,
  freePort,
  GiB,
  log,
  machineCpu,
  machineInfo,
  MB,
  mb,
  MemorySampler,
  MiB,
  printFigures,
  readProcCpu,
  readProcMemory,
  REDIS_URL,
  ROOT,
  round,
  runBench,
  SERVICE_MAIN,
  sleep,
  startChild,
  writeResults,
} from './support';

const PART_SIZE = 8 * MiB;
const QUEUE_SIZE = 4;
const MIN_FREE_BYTES = 8 * GiB;
const POLL_MS = 200;
const RUN_TIMEOUT_MS = 20 * 60_000;
const GOAL_RATIO = 0.8;
const GOAL_RSS_BYTES = 300 * MB;
/** "No growth": the 2 GiB peak within 10% of the 200 MiB peak. */
const GOAL_GROWTH = 1.1;
const BASELINE_BUCKET = 'bench-baseline';
/** A run during which other processes used more than this many cores is "disturbed". */
const DISTURBED_CORES = 0.25;

// The SDK's notice that future releases need Node 22 would only clutter the output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const sizesMiB = (process.env.BENCH_ARCHIVE_SIZES_MIB ?? '200,2048').split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
const noProbeRun = (process.env.BENCH_ARCHIVE_NO_PROBE_RUN ?? '1') === '1';
const repeats = Math.max(1, Number(process.env.BENCH_ARCHIVE_REPEATS ?? 3));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface SizeResult {
  size: string;
  bytes: number;
  baselines: BaselineRun[];
  services: ServiceRun[];
  servicesNoProbe: ServiceRun[];
}

function sizeLabel(bytes: number): string {
  return bytes >= GiB && bytes % GiB === 0 ? `${bytes / GiB} GiB` : `${Math.round(bytes / MiB)} MiB`;
}

/** The ffprobe processes a worker starts: how many, and for how long they were seen running. */
class ChildProcessWatcher {
  private timer: NodeJS.Timeout | null = null;
  private readonly seen = new Map<number, { comm: string; first: number; last: number }>();

  constructor(private readonly pid: number) {}

  start(): this {
    const look = () => {
      let children: string[] = [];
      try {
        children = readFileSync(`/proc/${this.pid}/task/${this.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      } catch {
        return;
      }
      const now = Date.now();
      for (const child of children) {
        const pid = Number(child);
        let comm: string;
        try {
          // Re-read each time: right after fork, before exec, a child still calls itself "node".
          comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
        } catch {
          continue; // gone already
        }
        const known = this.seen.get(pid);
        if (known) {
          known.last = now;
          known.comm = comm;
        } else {
          this.seen.set(pid, { comm, first: now, last: now });
        }
      }
    };
    look();
    this.timer = setInterval(look, 100);
    return this;
  }

  stop(): Array<{ comm: string; seenForSeconds: number }> {
    if (this.timer) clearInterval(this.timer);
    return [...this.seen.values()].map((c) => ({ comm: c.comm, seenForSeconds: round((c.last - c.first) / 1000, 1) }));
  }
}

interface BaselineRun {
  bytes: number;
  seconds: number;
  mbPerSecond: number;
  peakRssBytes: number;
  /** The client's RSS with its modules loaded, before the transfer. */
  startRssBytes: number;
  cpuSeconds: { client: number; s3rver: number; downloadHost: number; machineBusy: number; otherProcesses: number };
}

interface ServiceRun {
  registeredAs: string;
  bytes: number;
  seconds: number;
  mbPerSecond: number;
  status: string;
  reason: string | null;
  mediaInfo: unknown;
  workerArchiveSeconds: number | null;
  workerIdleRssBytes: number;
  workerPeakRssBytes: number;
  workerPeakRssSampledBytes: number;
  workerRssQuartilesBytes: number[];
  workerHwmBytes: number;
  rssSamples: number;
  bytesServedByHost: number;
  ffprobe: Array<{ comm: string; seenForSeconds: number }>;
  cpuSeconds: {
    worker: number;
    workerChildren: number;
    s3rverAndApi: number;
    downloadHost: number;
    postgres: number;
    machineBusy: number;
    machineIowait: number;
    /** Everything else on the machine meanwhile (other work disturbs the figures). */
    otherProcesses: number;
  };
}

runBench('archive-throughput', async (cleanup) => {
  const machine = await machineInfo();
  log(`machine: ${describeMachine(machine)}`);
  const tmpRoot = os.tmpdir();
  const fsStat = statfsSync(tmpRoot);
  const freeBytes = fsStat.bavail * fsStat.bsize;
  if (freeBytes < MIN_FREE_BYTES) {
    const message = `skipped: only ${(freeBytes / GiB).toFixed(1)} GiB free in ${tmpRoot}; the archive benchmark needs ${MIN_FREE_BYTES / GiB} GiB (a 2 GiB source file, its parts and its stored copy)`;
    process.stdout.write(`\n== archive throughput ==\n  ${message}\n`);
    const file = writeResults('archive-throughput', { bench: 'archive-throughput', machine, skipped: message });
    process.stdout.write(`  results: ${path.relative(ROOT, file)}\n`);
    return;
  }

  const id = benchId();
  const queuePrefix = `bench-archive-${id}`;
  const tmp = mkdtempSync(path.join(tmpRoot, 'rec-bench-archive-'));
  cleanup(() => rmSync(tmp, { recursive: true, force: true }));

  const sources: Array<{ bytes: number; path: string }> = [];
  for (const size of sizesMiB) {
    const bytes = size * MiB;
    const file = path.join(tmp, `source-${size}MiB.bin`);
    const started = Date.now();
    await generateLargeFile(file, bytes);
    log(`generated ${sizeLabel(bytes)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    sources.push({ bytes, path: file });
  }

  const downloadToken = fakeDownloadToken();
  const host = new FakeZoomHost({ downloadToken });
  await host.start();
  cleanup(() => host.stop());

  log('creating a fresh database');
  const databaseUrl = await createDatabase(`rec_bench_archive_${id}`);
  cleanup(() => dropDatabase(databaseUrl));
  cleanup(() => deleteRedisPrefix(queuePrefix));
  const s3Port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    S3_EMBEDDED_PORT: String(s3Port),
    S3_DATA_DIR: path.join(tmp, 's3'),
    ZOOM_WEBHOOK_SECRET_TOKEN: BENCH_ZOOM_SECRET,
    ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(','),
    MEDIA_MASTER_KEY: randomBytes(32).toString('base64'),
    AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
    ARCHIVE_CONCURRENCY: '1',
  };
  // The api process starts first, so it hosts the embedded s3rver; workers join it. The worker's
  // memory is then the worker's alone.
  log('starting the service (RUN_MODE=api, hosting the embedded s3rver)');
  const api = await startChild('service (api)', SERVICE_MAIN, { ...env, RUN_MODE: 'api' });
  cleanup(() => api.stop());

  const s3 = new S3Client({
    endpoint: `http://127.0.0.1:${s3Port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  cleanup(() => s3.destroy());
  await s3.send(new CreateBucketCommand({ Bucket: BASELINE_BUCKET }));

  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  cleanup(() => db.end());

  const results: SizeResult[] = [];
  for (const source of sources) {
    const label = sizeLabel(source.bytes);
    const withNoProbe = noProbeRun && source === sources[sources.length - 1];
    const r: SizeResult = { size: label, bytes: source.bytes, baselines: [], services: [], servicesNoProbe: [] };
    // Alternate baseline and service, so drift on a shared machine hits both alike.
    for (let rep = 1; rep <= repeats; rep += 1) {
      const baseline = await runBaseline(host, source, s3Port, api, s3);
      r.baselines.push(baseline);
      log(`[${label} ${rep}/${repeats}] baseline: ${baseline.seconds} s, ${baseline.mbPerSecond} MB/s, client peak RSS ${mb(baseline.peakRssBytes)} MB`);
      await sleep(1000);
      const service = await runService(host, source, env, api, db, s3, downloadToken, 'MP4');
      r.services.push(service);
      log(
        `[${label} ${rep}/${repeats}] service: ${service.status} in ${service.seconds} s, ${service.mbPerSecond} MB/s (worker's own archive time ${service.workerArchiveSeconds} s), ` +
          `worker peak RSS ${mb(service.workerPeakRssBytes)} MB, ffprobe ${JSON.stringify(service.ffprobe)}`,
      );
      await sleep(1000);
      if (withNoProbe) {
        const noProbe = await runService(host, source, env, api, db, s3, downloadToken, 'CSV');
        r.servicesNoProbe.push(noProbe);
        log(`[${label} ${rep}/${repeats}] service, registered as CSV (no probe): ${noProbe.status} in ${noProbe.seconds} s, ${noProbe.mbPerSecond} MB/s`);
        await sleep(1000);
      }
    }
    results.push(r);
  }

  /** The largest share of the machine other processes took during any run of this size, in cores. */
  const otherCores = (r: SizeResult) =>
    round(Math.max(...[...r.baselines, ...r.services, ...r.servicesNoProbe].map((x) => x.cpuSeconds.otherProcesses / x.seconds)), 2);
  const figures: Figure[] = [];
  const largest = results[results.length - 1];
  const disturbed = (x: BaselineRun | ServiceRun) => x.cpuSeconds.otherProcesses / x.seconds > DISTURBED_CORES;
  for (const r of results) {
    const failed = r.services.find((x) => x.status !== 'stored');
    // Repeats where neither the baseline nor the service run was disturbed by other processes; all
    // of them when there is none.
    const cleanReps = r.services.map((_, i) => i).filter((i) => !disturbed(r.services[i]) && !disturbed(r.baselines[i]));
    const used = cleanReps.length > 0 ? cleanReps : r.services.map((_, i) => i);
    const left = r.services.length - cleanReps.length;
    const serviceMBps = median(used.map((i) => r.services[i].mbPerSecond));
    const baselineMBps = median(used.map((i) => r.baselines[i].mbPerSecond));
    const disturbedNote =
      left === 0 ? '' : cleanReps.length === 0 ? `; ALL runs were disturbed by other processes: not reliable` : `; ${left} disturbed repeat(s) left out of the medians`;
    figures.push(
      figure({
        name: `archive ${r.size} (webhook → stored), median of ${used.length}`,
        value: serviceMBps,
        unit: 'MB/s',
        baselineName: 'fetch → lib-storage Upload',
        baseline: baselineMBps,
        goal: r === largest ? `≥ ${GOAL_RATIO}× baseline` : undefined,
        met: r === largest ? !failed && serviceMBps >= GOAL_RATIO * baselineMBps : undefined,
        note:
          `runs: service ${r.services.map((x) => x.mbPerSecond).join(', ')} MB/s; baseline ${r.baselines.map((x) => x.mbPerSecond).join(', ')} MB/s; ` +
          `other processes on the machine used up to ${otherCores(r)} cores during a run${disturbedNote}` +
          (failed ? `; an artifact ended ${failed.status}: ${failed.reason}` : ''),
      }),
    );
    if (r.servicesNoProbe.length > 0) {
      figures.push(
        figure({
          name: `archive ${r.size} registered as CSV (no ffprobe tap), median of ${used.length}`,
          value: median(used.map((i) => r.servicesNoProbe[i].mbPerSecond)),
          unit: 'MB/s',
          baselineName: 'fetch → lib-storage Upload',
          baseline: baselineMBps,
          note: `diagnostic, the same service path without the probe; runs ${r.servicesNoProbe.map((x) => x.mbPerSecond).join(', ')} MB/s`,
        }),
      );
    }
  }
  const first = results[0];
  const peak = (r: SizeResult) => Math.max(...r.services.map((x) => x.workerPeakRssBytes));
  for (const r of results) {
    const isFirst = r === first;
    figures.push(
      figure({
        name: `worker peak RSS, ${r.size} (highest of ${r.services.length} runs)`,
        value: mb(peak(r)),
        unit: 'MB',
        baselineName: isFirst ? 'peak RSS of the baseline client' : `worker peak RSS, ${first.size}`,
        baseline: isFirst ? mb(Math.max(...r.baselines.map((x) => x.peakRssBytes))) : mb(peak(first)),
        goal: isFirst ? `< ${GOAL_RSS_BYTES / MB} MB` : `< ${GOAL_RSS_BYTES / MB} MB and ≤ ${GOAL_GROWTH}× the ${first.size} peak`,
        met: peak(r) < GOAL_RSS_BYTES && (isFirst || peak(r) <= GOAL_GROWTH * peak(first)),
        note:
          `peak = VmHWM; per run ${r.services.map((x) => mb(x.workerPeakRssBytes)).join(', ')} MB; ` +
          `largest VmRSS in each quarter of each run ${r.services.map((x) => x.workerRssQuartilesBytes.map(mb).join('/')).join('; ')} MB; ` +
          `idle after start-up ${r.services.map((x) => mb(x.workerIdleRssBytes)).join(', ')} MB; ` +
          `baseline client: start ${r.baselines.map((x) => mb(x.startRssBytes)).join(', ')} MB, peak ${r.baselines.map((x) => mb(x.peakRssBytes)).join(', ')} MB; ` +
          `ffprobe's own memory is not included`,
      }),
    );
  }

  const file = writeResults('archive-throughput', {
    bench: 'archive-throughput',
    machine,
    setup: {
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      source: 'generateLargeFile (incompressible bytes), served by FakeZoomHost in the bench process (download host → 302 → signed storage)',
      objectStore: 'embedded s3rver hosted by the RUN_MODE=api process, files under a temp dir',
      worker: 'RUN_MODE=worker, ARCHIVE_CONCURRENCY=1, a fresh process per run',
      repeats,
      disturbedWhenOtherProcessesAboveCores: DISTURBED_CORES,
      registeredContentType: 'video/mp4 (ffprobe tap runs; random bytes, so ffprobe fails)',
      serviceTime: 'webhook POST sent → artifact status stored in PostgreSQL (polled every 200 ms)',
      baselineTime: 'fetch started → Upload done → HeadObject, measured inside the baseline process',
      freeBytesAtStart: freeBytes,
    },
    figures,
    runs: results,
  });
  printFigures(`archive throughput — ${describeMachine(machine)}`, figures);
  for (const r of results) {
    const avg = (xs: number[]) => round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length), 1);
    const s = r.services;
    process.stdout.write(
      `  ${r.size}, mean CPU seconds per run: service path: worker ${avg(s.map((x) => x.cpuSeconds.worker))} + its children (ffprobe) ${avg(s.map((x) => x.cpuSeconds.workerChildren))}, ` +
        `s3rver ${avg(s.map((x) => x.cpuSeconds.s3rverAndApi))}, download host ${avg(s.map((x) => x.cpuSeconds.downloadHost))}; ` +
        `baseline: client ${avg(r.baselines.map((x) => x.cpuSeconds.client))}, s3rver ${avg(r.baselines.map((x) => x.cpuSeconds.s3rver))}, download host ${avg(r.baselines.map((x) => x.cpuSeconds.downloadHost))}; ` +
        `ffprobe alive ${s.flatMap((x) => x.ffprobe.map((f) => `${f.seenForSeconds} s`)).join(', ') || 'never seen'}\n`,
    );
    const probed = s.filter((x) => x.mediaInfo !== null);
    if (probed.length > 0) {
      process.stdout.write(
        `  NOTE (${r.size}): ffprobe took the random bytes for media in ${probed.length} of ${s.length} runs (${JSON.stringify(probed[0].mediaInfo).slice(0, 200)}), ` +
          `so the probe tap fed it the whole file: see "ffprobe alive" and its CPU above\n`,
      );
    }
    if (otherCores(r) > DISTURBED_CORES) {
      process.stdout.write(`  WARNING (${r.size}): other processes used up to ${otherCores(r)} cores during a run; the figures are disturbed\n`);
    }
  }
  process.stdout.write(`  results: ${path.relative(ROOT, file)}\n`);
});

/** The signed storage URL the download host redirects to (the service follows the same redirect). */
async function signedStorageUrl(downloadUrl: string, token: string): Promise<string> {
  const res = await fetch(downloadUrl, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
  await res.arrayBuffer();
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`download host answered ${res.status} without a redirect`);
  return location;
}

async function runBaseline(host: FakeZoomHost, source: { bytes: number; path: string }, s3Port: number, api: ChildService, s3: S3Client): Promise<BaselineRun> {
  const served = host.addFile({ path: source.path, contentType: 'video/mp4' });
  const token = fakeDownloadToken();
  host.acceptToken(token);
  const url = await signedStorageUrl(served.downloadUrl, token);
  const key = `baseline/${randomBytes(8).toString('hex')}.mp4`;
  const config = { url, endpoint: `http://127.0.0.1:${s3Port}`, bucket: BASELINE_BUCKET, key, partSize: PART_SIZE, queueSize: QUEUE_SIZE, contentType: 'video/mp4' };
  const apiCpuBefore = readProcCpu(api.pid)?.self ?? 0;
  const hostCpuBefore = process.cpuUsage();
  const machineBefore = machineCpu();
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'bench', 'archive-baseline-client.js')], {
    cwd: ROOT,
    env: { ...process.env, BENCH_BASELINE: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const sampler = new MemorySampler(child.pid as number).start();
  let stdout = '';
  let stderr = '';
  let clientCpu = 0;
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setInterval(() => (clientCpu = readProcCpu(child.pid as number)?.self ?? clientCpu), 100);
  const code = await Promise.race([
    new Promise<number | null>((resolve) => child.once('exit', resolve)),
    sleep(RUN_TIMEOUT_MS).then(() => 'timeout' as const),
  ]);
  clearInterval(timer);
  const memory = sampler.stop();
  if (code === 'timeout') {
    child.kill('SIGKILL');
    throw new Error('baseline client timed out');
  }
  if (code !== 0) throw new Error(`baseline client failed (exit ${code}): ${stderr.slice(-2000)}`);
  const out = JSON.parse(stdout.trim().split('\n').pop() as string) as { bytes: number; ms: number; startRssBytes: number; peakRssBytes: number };
  if (out.bytes !== source.bytes) throw new Error(`baseline stored ${out.bytes} bytes of ${source.bytes}`);
  const hostCpu = process.cpuUsage(hostCpuBefore);
  const machineBusy = machineCpu().busy - machineBefore.busy;
  const s3rverCpu = (readProcCpu(api.pid)?.self ?? 0) - apiCpuBefore;
  const hostCpuSeconds = (hostCpu.user + hostCpu.system) / 1e6;
  await s3.send(new DeleteObjectCommand({ Bucket: BASELINE_BUCKET, Key: key }));
  const seconds = out.ms / 1000;
  return {
    bytes: out.bytes,
    seconds: round(seconds, 2),
    mbPerSecond: round(out.bytes / MB / seconds, 1),
    peakRssBytes: Math.max(out.peakRssBytes, memory.peakRssBytes, memory.hwmBytes),
    startRssBytes: out.startRssBytes,
    cpuSeconds: {
      client: round(clientCpu, 2),
      s3rver: round(s3rverCpu, 2),
      downloadHost: round(hostCpuSeconds, 2),
      machineBusy: round(machineBusy, 2),
      otherProcesses: round(Math.max(0, machineBusy - clientCpu - s3rverCpu - hostCpuSeconds), 2),
    },
  };
}

async function runService(
  host: FakeZoomHost,
  source: { bytes: number; path: string },
  env: Record<string, string>,
  api: ChildService,
  db: Client,
  s3: S3Client,
  downloadToken: string,
  registerAs: 'MP4' | 'CSV',
): Promise<ServiceRun> {
  const served = host.addFile({ path: source.path, contentType: registerAs === 'MP4' ? 'video/mp4' : 'text/csv' });
  const file: EventFileSpec =
    registerAs === 'MP4'
      ? { fileType: 'MP4', fileExtension: 'MP4', recordingType: 'shared_screen_with_speaker_view', downloadUrl: served.downloadUrl, size: source.bytes }
      : { fileType: 'CSV', fileExtension: 'CSV', downloadUrl: served.downloadUrl, size: source.bytes };
  const event = recordingCompletedEvent({ downloadToken, files: [file], durationMinutes: 60 });
  const uuid = event.payload.object.uuid;

  // BENCH_CPU_PROF=1: each worker writes a V8 CPU profile into bench/results/profiles when it stops.
  const nodeArgs = process.env.BENCH_CPU_PROF === '1' ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ROOT, 'bench', 'results', 'profiles')}`] : [];
  const worker = await startChild('worker', SERVICE_MAIN, { ...env, RUN_MODE: 'worker' }, { nodeArgs });
  try {
    await sleep(500);
    const idle = readProcMemory(worker.pid);
    const sampler = new MemorySampler(worker.pid).start();
    const watcher = new ChildProcessWatcher(worker.pid).start();
    const before = cpuState(worker, api);

    const started = Date.now();
    const ack = await sendWebhook(`${api.baseUrl}/webhooks/zoom`, BENCH_ZOOM_SECRET, event);
    if (ack.status !== 200) throw new Error(`webhook answered ${ack.status}: ${ack.body}`);
    let row: { status: string; reason: string | null; size_bytes: string | null; storage_key: string; media_info: unknown } | undefined;
    for (;;) {
      const res = await db.query(
        `SELECT a.status, a.reason, a.size_bytes, a.storage_key, a.media_info FROM artifacts a JOIN recordings r ON r.id = a.recording_id
         WHERE r.zoom_meeting_uuid = $1 ORDER BY a.created_at LIMIT 1`,
        [uuid],
      );
      row = res.rows[0];
      if (row && row.status !== 'pending') break;
      if (Date.now() - started > RUN_TIMEOUT_MS) throw new Error(`artifact still ${row?.status ?? 'missing'} after ${RUN_TIMEOUT_MS / 1000} s:\n${worker.tail()}`);
      if (!worker.running) throw new Error(`worker exited:\n${worker.tail()}`);
      await sleep(POLL_MS);
    }
    const seconds = (Date.now() - started) / 1000;
    const after = cpuState(worker, api);
    const memory = sampler.stop();
    const ffprobe = watcher.stop();
    const workerArchiveSeconds = await archiveSecondsFromMetrics(worker.baseUrl);
    const bytes = Number(row.size_bytes ?? 0);
    if (row.status === 'stored') {
      if (bytes !== source.bytes) throw new Error(`the service stored ${bytes} bytes of ${source.bytes}`);
      await s3.send(new DeleteObjectCommand({ Bucket: 'recordings', Key: row.storage_key }));
    } else {
      log(`artifact ended ${row.status}: ${row.reason}\n${worker.tail()}`);
    }
    return {
      registeredAs: registerAs === 'MP4' ? 'MP4 (video/mp4, probed)' : 'CSV (kind other, not probed)',
      bytes,
      seconds: round(seconds, 2),
      mbPerSecond: round(row.status === 'stored' ? bytes / MB / seconds : 0, 1),
      status: row.status,
      reason: row.reason,
      // What ffprobe made of the bytes (null when it gave up, as it should on random bytes).
      mediaInfo: row.media_info ?? null,
      workerArchiveSeconds,
      workerIdleRssBytes: idle?.rssBytes ?? 0,
      // VmHWM is the kernel's exact peak; the 100 ms samples of VmRSS can miss a short spike.
      workerPeakRssBytes: Math.max(memory.peakRssBytes, memory.hwmBytes),
      workerPeakRssSampledBytes: memory.peakRssBytes,
      // The largest VmRSS sampled in each quarter of the run: level quarters mean no growth with size.
      workerRssQuartilesBytes: [1, 2, 3, 4].map((q) => {
        const from = ((q - 1) / 4) * seconds * 1000;
        const to = (q / 4) * seconds * 1000;
        return Math.max(0, ...sampler.timeline.filter(([t]) => t >= from && t <= to).map(([, rss]) => rss));
      }),
      workerHwmBytes: memory.hwmBytes,
      rssSamples: memory.samples,
      bytesServedByHost: host.bytesServed(FakeZoomHost.keyOf(served.downloadUrl)),
      ffprobe,
      cpuSeconds: {
        worker: round(after.worker.self - before.worker.self, 2),
        workerChildren: round(after.worker.children - before.worker.children, 2),
        s3rverAndApi: round(after.api - before.api, 2),
        downloadHost: round(after.host - before.host, 2),
        postgres: round(cpuDelta(before.postgres, after.postgres), 2),
        machineBusy: round(after.machine.busy - before.machine.busy, 2),
        machineIowait: round(after.machine.iowait - before.machine.iowait, 2),
        otherProcesses: round(
          Math.max(
            0,
            after.machine.busy -
              before.machine.busy -
              (after.worker.self - before.worker.self) -
              (after.worker.children - before.worker.children) -
              (after.api - before.api) -
              (after.host - before.host) -
              cpuDelta(before.postgres, after.postgres),
          ),
          2,
        ),
      },
    };
  } finally {
    await worker.stop();
  }
}

function cpuState(worker: ChildService, api: ChildService) {
  const usage = process.cpuUsage();
  return {
    worker: readProcCpu(worker.pid) ?? { self: 0, children: 0 },
    api: readProcCpu(api.pid)?.self ?? 0,
    host: (usage.user + usage.system) / 1e6,
    postgres: cpuOfCommands(['postgres']),
    machine: machineCpu(),
  };
}

/** archive_seconds_sum from the worker's /metrics (its own time for the one file it archived). */
async function archiveSecondsFromMetrics(baseUrl: string): Promise<number | null> {
  try {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    let sum = 0;
    let found = false;
    for (const match of text.matchAll(/^archive_seconds_sum\{[^}]*\} (\S+)$/gm)) {
      sum += Number(match[1]);
      found = true;
    }
    return found ? round(sum, 2) : null;
  } catch {
    return null;
  }
}
