// Packaging throughput (issue 12, "Benchmarks"): a 60-minute 720p H.264/AAC recording packaged as
// AES-128 HLS end to end (S3 → temporary file → ffmpeg → S3: the real `package-stream` job in the
// built worker, RUN_MODE=worker, with the embedded S3 server in its own process, as in production),
// in multiples of realtime, against ffmpeg alone on local files with the same arguments, on the
// same machine in the same run.
//
//   node dist/bench/stream-packaging.js      (or: bash scripts/bench.sh packaging)
//   BENCH_PACKAGING_MINUTES=10 node dist/bench/stream-packaging.js   (a quick try)
//
// The source is generated here (testsrc2 1280x720 at 25 fps + a sine, libx264 ultrafast at about
// 1 Mb/s like a Zoom recording, a keyframe every 4 s), ten minutes looped to the length, into a
// temporary folder that is removed afterwards.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { JOB_CATALOGUE, redisConnection } from '@lib/jobs';
import { FfmpegMediaToolkit, hlsKeyInfo, hlsPackageArgs, hlsPlan } from '@lib/media';
import { BUCKET } from '../test/support/bucket';
import { waitFor } from '../test/support/wait';
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
  printFigures,
  REDIS_URL,
  round,
  runBench,
  s3Client,
  SERVICE_MAIN,
  startChild,
  startS3Server,
  writeResults,
} from './support';

const MINUTES = Number(process.env.BENCH_PACKAGING_MINUTES ?? 60);
const GOAL_REALTIME = 200;

runBench('stream-packaging', async (cleanup) => {
  const machine = await machineInfo();
  log(describeMachine(machine));
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-packaging-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  const source = generateSource(dir, MINUTES);
  const seconds = MINUTES * 60;
  const toolkit = new FfmpegMediaToolkit();
  const info = await toolkit.probeFile(source);
  const plan = hlsPlan(info, 'video')!;
  log(`source: ${round(statSync(source).size / 1e6, 1)} MB, ${info.durationSeconds} s, remux: ${plan.copy}`);

  // Baseline: ffmpeg alone, local file to local folder, the same arguments the job uses.
  const out = path.join(dir, 'baseline');
  mkdirSync(out);
  writeFileSync(path.join(dir, 'key.bin'), randomBytes(16));
  writeFileSync(path.join(dir, 'key.info'), hlsKeyInfo(path.join(dir, 'key.bin'), randomBytes(16).toString('hex')));
  const t0 = process.hrtime.bigint();
  execFileSync('ffmpeg', hlsPackageArgs(source, { dir: out, keyInfoFile: path.join(dir, 'key.info'), copy: plan.copy, audioOnly: false }));
  const baselineSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  rmSync(out, { recursive: true, force: true });
  log(`ffmpeg alone: ${round(baselineSeconds, 2)} s`);

  // End to end: the service's job, from the source in S3 to the stream stored.
  const id = benchId();
  const s3Dir = path.join(dir, 's3');
  const server = await startS3Server(s3Dir, BUCKET);
  cleanup(() => server.proc.kill('SIGTERM'));
  const s3 = s3Client(server.endpoint);
  cleanup(() => s3.destroy());
  const databaseUrl = await createDatabase(`bench_packaging_${id}`);
  cleanup(() => dropDatabase(databaseUrl));
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  cleanup(() => db.end());
  const query = async <T>(sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows as T[];
  const queuePrefix = `bench-packaging-${id}`;
  cleanup(() => deleteRedisPrefix(queuePrefix));
  const worker = await startChild(
    'worker',
    SERVICE_MAIN,
    benchServiceEnv({ runMode: 'worker', databaseUrl, queuePrefix, s3: { port: server.port, dataDir: s3Dir, bucket: BUCKET }, extra: { STREAM_PACKAGING: 'true' } }),
  );
  cleanup(() => worker.stop());

  const prefix = `r/${randomBytes(16).toString('hex')}`;
  const key = `${prefix}/${randomBytes(12).toString('hex')}.mp4`;
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: createReadStream(source), ContentLength: statSync(source).size, ContentType: 'video/mp4' }));
  const [recording] = await query<{ id: string }>(
    `INSERT INTO recordings (zoom_meeting_uuid, zoom_meeting_id, policy_profile, started_at, status, storage_prefix)
     VALUES ($1, '81234567890', 'tutoring', now(), 'archived', $2) RETURNING id`,
    [`bench-${randomBytes(8).toString('hex')}`, prefix],
  );
  // Inserted as pending, then stored with the enqueue timed: the reconciling pass must not start it early.
  const [video] = await query<{ id: string }>(
    `INSERT INTO artifacts (recording_id, kind, zoom_file_key, storage_key, content_type, status, size_bytes, media_info, retention_class)
     VALUES ($1, 'video', 'bench', $2, 'video/mp4', 'pending', $3, $4, 'media') RETURNING id`,
    [recording.id, key, statSync(source).size, JSON.stringify(info)],
  );
  const spec = JOB_CATALOGUE['package-stream'];
  const queue = new Queue(spec.queue, { prefix: queuePrefix, connection: redisConnection(REDIS_URL) });
  cleanup(() => queue.close());
  const t1 = process.hrtime.bigint();
  await query(`UPDATE artifacts SET status = 'stored', stored_at = now() WHERE id = $1`, [video.id]);
  await queue.add('package-stream', { artifactId: video.id }, { jobId: spec.jobId({ artifactId: video.id }) });
  const stream = await waitFor(
    async () => (await query<{ size_bytes: string }>(`SELECT size_bytes FROM artifacts WHERE kind = 'stream' AND derived_from = $1 AND status = 'stored'`, [video.id]))[0],
    'the stream stored',
    3_600_000,
    20,
  );
  const serviceSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
  log(`end to end: ${round(serviceSeconds, 2)} s, ${round(Number(stream.size_bytes) / 1e6, 1)} MB stored`);

  const endToEnd = seconds / serviceSeconds;
  const figures = [
    figure({
      name: `package ${MINUTES}-min 720p H.264 as AES-128 HLS, S3 → ffmpeg → S3`,
      value: endToEnd,
      unit: '× realtime',
      baselineName: 'ffmpeg alone on local files, same arguments',
      baseline: seconds / baselineSeconds,
      goal: `≥ ${GOAL_REALTIME}× realtime`,
      met: endToEnd >= GOAL_REALTIME,
      note: `${round(serviceSeconds, 2)} s end to end vs ${round(baselineSeconds, 2)} s ffmpeg alone; source ${round(statSync(source).size / 1e6, 1)} MB; remux (no re-encoding): ${plan.copy}`,
    }),
  ];
  printFigures('stream packaging', figures);
  const file = writeResults('stream-packaging', { bench: 'stream-packaging', machine, minutes: MINUTES, serviceSeconds, baselineSeconds, figures });
  log(`results: ${file}`);
});

/** Ten minutes of 720p generated once, looped (no re-encoding) to the length asked for. */
function generateSource(dir: string, minutes: number): string {
  const chunk = path.join(dir, 'chunk.mp4');
  const chunkSeconds = Math.min(600, minutes * 60);
  log(`generating ${chunkSeconds} s of 720p…`);
  execFileSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=25:duration=${chunkSeconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=32000:duration=${chunkSeconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '1000k', '-g', '100', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '64k', chunk,
  ]);
  const loops = Math.ceil((minutes * 60) / chunkSeconds);
  if (loops === 1) return chunk;
  const full = path.join(dir, 'source.mp4');
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-stream_loop', String(loops - 1), '-i', chunk, '-c', 'copy', '-t', String(minutes * 60), full]);
  rmSync(chunk);
  return full;
}
