// Building a research export (issue 14, "Benchmarks"): an export of 1,000 sessions (each a
// transcript and a chat log in the bucket, three people on its roster, everyone consenting under
// opt-out) built by the real `build-export` job in the built worker (RUN_MODE=worker), with the
// embedded S3 server in its own process. Reported: build time, and the worker's peak RSS for 250 and
// for 1,000 sessions — flat in the number of sessions is the goal. Baseline, same run: the same
// objects read from S3 and zipped straight into S3 in this process (no consent, no de-identification).
//
//   node dist/bench/research-export.js      (or: bash scripts/bench.sh export)
//   BENCH_EXPORT_SESSIONS=200 node dist/bench/research-export.js   (a quick try)
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { JOB_CATALOGUE, redisConnection } from '@lib/jobs';
import { ExportArchive, newStudySecret } from '@lib/research';
import { putVerified, S3ObjectStore } from '@lib/storage';
import { BUCKET } from '../test/support/bucket';
import { seeded } from '../test/support/seeded-random';
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
  MemorySampler,
  mb,
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

const SESSIONS = Number(process.env.BENCH_EXPORT_SESSIONS ?? 1000);
const SMALL = Math.max(1, Math.round(SESSIONS / 4));
const NAMES = ['Ms Rivera', 'Mr Okafor', 'Elisa Lopez', 'Tom Kowalski', 'Aisha Khan', 'Jake Miller'];

runBench('research-export', async (cleanup) => {
  const machine = await machineInfo();
  log(describeMachine(machine));
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-export-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  const id = benchId();
  const server = await startS3Server(path.join(dir, 's3'), BUCKET);
  cleanup(() => server.proc.kill('SIGTERM'));
  const s3 = s3Client(server.endpoint);
  cleanup(() => s3.destroy());
  const databaseUrl = await createDatabase(`bench_export_${id}`);
  cleanup(() => dropDatabase(databaseUrl));
  const masterKey = randomBytes(32);
  const queuePrefix = `bench-export-${id}`;
  cleanup(() => deleteRedisPrefix(queuePrefix));
  const worker = await startChild(
    'worker',
    SERVICE_MAIN,
    benchServiceEnv({ runMode: 'worker', databaseUrl, queuePrefix, masterKey, s3: { port: server.port, dataDir: path.join(dir, 's3'), bucket: BUCKET }, extra: { TALK_TIME_ANALYSIS: 'false', STREAM_PACKAGING: 'false' } }),
  );
  cleanup(() => worker.stop());
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  cleanup(() => db.end());

  log(`seeding ${SESSIONS + SMALL} sessions (transcript + chat each)…`);
  const keys = await seed(db, s3, SESSIONS + SMALL);
  const queue = new Queue(JOB_CATALOGUE['build-export'].queue, { prefix: queuePrefix, connection: redisConnection(REDIS_URL) });
  cleanup(() => queue.close());

  const build = async (program: string) => {
    const [study] = (
      await db.query(
        `INSERT INTO studies (name, programs, sessions_from, sessions_to, consent_model, kinds, agreement_expires_at, pseudonym_secret_wrapped, created_by, created_at)
         VALUES ('bench', $1, '2000-01-01', '2100-01-01', 'opt_out', '{transcript,chat}', '2100-01-01', $2, 'bench', now()) RETURNING id`,
        [[program], newStudySecret(masterKey)],
      )
    ).rows;
    const [row] = (
      await db.query(
        `INSERT INTO research_exports (study_id, status, criteria, requested_by, requested_at, decided_by, decided_at, updated_at)
         VALUES ($1, 'approved', '{}', 'bench-researcher', now(), 'bench-admin', now(), now()) RETURNING id`,
        [study.id],
      )
    ).rows;
    const sampler = new MemorySampler(worker.pid, 50).start();
    const t0 = process.hrtime.bigint();
    await queue.add('build-export', { exportId: row.id }, { jobId: JOB_CATALOGUE['build-export'].jobId({ exportId: row.id }) });
    const done = await waitFor(
      async () => (await db.query(`SELECT status, size_bytes, summary, failure_reason FROM research_exports WHERE id = $1 AND status IN ('ready', 'failed')`, [row.id])).rows[0],
      'the export built',
      3_600_000,
      50,
    );
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const memory = sampler.stop();
    if (done.status !== 'ready') throw new Error(`build failed: ${done.failure_reason}`);
    return { seconds, peakRss: memory.peakRssBytes, bytes: Number(done.size_bytes), summary: done.summary };
  };

  // The worker's heap warms up on a small build first; then the two measured ones.
  await build('warm-up');
  const small = await build('small');
  const large = await build('large');
  log(`${SMALL} sessions: ${round(small.seconds, 2)} s, peak RSS ${mb(small.peakRss)} MB; ${SESSIONS} sessions: ${round(large.seconds, 2)} s, peak RSS ${mb(large.peakRss)} MB, ${mb(large.bytes)} MB zip`);

  // Baseline: the same objects straight from S3 into a ZIP in S3, in this process.
  const store = new S3ObjectStore({ client: s3, bucket: BUCKET, serverSideEncryption: 'none' });
  const t1 = process.hrtime.bigint();
  const archive = new ExportArchive();
  const stored = putVerified(store, `bench/${id}.zip`, archive.output, { contentType: 'application/zip' });
  for (const [i, k] of keys.large.entries()) await archive.add(`${i}/${path.basename(k)}`, await store.read(k));
  await archive.finish();
  await stored;
  const baselineSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
  log(`baseline (zip straight from S3): ${round(baselineSeconds, 2)} s`);

  const figures = [
    figure({
      name: `build an export of ${SESSIONS} sessions (transcript + chat, de-identified)`,
      value: large.seconds,
      unit: 's',
      baselineName: 'the same objects zipped straight from S3 (no consent, no de-identification)',
      baseline: baselineSeconds,
      goal: '—',
      met: true,
      note: `${round((large.seconds * 1000) / SESSIONS, 1)} ms per session; archive ${mb(large.bytes)} MB; ${JSON.stringify(large.summary)}`,
    }),
    figure({
      name: `worker peak RSS building ${SESSIONS} sessions vs ${SMALL}`,
      value: mb(large.peakRss),
      unit: 'MB',
      baselineName: `the same worker building ${SMALL} sessions`,
      baseline: mb(small.peakRss),
      goal: 'flat (≤ 1.1×)',
      met: large.peakRss <= small.peakRss * 1.1,
      note: `${SMALL} sessions took ${round(small.seconds, 2)} s`,
    }),
  ];
  printFigures('research export', figures);
  const file = writeResults('research-export', { bench: 'research-export', machine, sessions: SESSIONS, small, large, baselineSeconds, figures });
  log(`results: ${file}`);
});

/** Sessions in three programmes (warm-up 20, small, large), each with a recording, roster, transcript and chat. */
async function seed(db: Client, s3: ReturnType<typeof s3Client>, total: number): Promise<{ large: string[] }> {
  const random = seeded(14);
  const large: string[] = [];
  const plan = [
    ...Array.from({ length: 20 }, () => 'warm-up'),
    ...Array.from({ length: SMALL }, () => 'small'),
    ...Array.from({ length: total - SMALL }, () => 'large'),
  ];
  for (const name of NAMES) await db.query(`INSERT INTO people (id, display_name, minor) VALUES ($1, $2, false) ON CONFLICT DO NOTHING`, [slug(name), name]);
  for (const [i, program] of plan.entries()) {
    const sessionId = `bench-${program}-${i}`;
    const [tutor, a, b] = [NAMES[i % 2], NAMES[2 + (i % 4)], NAMES[2 + ((i + 1) % 4)]];
    await db.query(
      `INSERT INTO sessions (id, zoom_meeting_id, starts_at, program, policy_profile, tutor_id) VALUES ($1, '81234567890', now() - interval '1 day', $2, 'tutoring', $3)`,
      [sessionId, program, slug(tutor)],
    );
    await db.query(
      `INSERT INTO session_participants (session_id, person_id, role) VALUES ($1, $2, 'tutor'), ($1, $3, 'learner'), ($1, $4, 'learner')`,
      [sessionId, slug(tutor), slug(a), slug(b)],
    );
    const prefix = `r/${randomBytes(16).toString('hex')}`;
    const [rec] = (
      await db.query(
        `INSERT INTO recordings (zoom_meeting_uuid, zoom_meeting_id, session_id, policy_profile, started_at, status, storage_prefix)
         VALUES ($1, '81234567890', $2, 'tutoring', now() - interval '1 day', 'archived', $3) RETURNING id`,
        [`bench-${sessionId}`, sessionId, prefix],
      )
    ).rows;
    for (const [kind, body] of [['transcript', transcript(tutor, a, b, random)], ['chat', chat(tutor, a, random)]] as const) {
      const key = `${prefix}/${randomBytes(12).toString('hex')}.${kind === 'chat' ? 'txt' : 'vtt'}`;
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: 'text/plain' }));
      await db.query(
        `INSERT INTO artifacts (recording_id, kind, zoom_file_key, storage_key, content_type, status, size_bytes, stored_at, retention_class)
         VALUES ($1, $2, $3, $4, 'text/plain', 'stored', $5, now(), 'text')`,
        [rec.id, kind, `${kind}-${i}`, key, Buffer.byteLength(body)],
      );
      if (program === 'large') large.push(key);
    }
  }
  return { large };
}

const slug = (name: string) => name.toLowerCase().replace(/[^a-z]+/g, '-');
const clock = (s: number) => new Date(s * 1000).toISOString().slice(11, 23);

/** About 120 cues, names and contact details sprinkled in as real sessions have them. */
function transcript(tutor: string, a: string, b: string, random: () => number): string {
  const lines = ['WEBVTT', ''];
  let at = 0;
  for (let i = 1; i <= 120; i += 1) {
    const who = [tutor, a, b][i % 3];
    const text = [
      `So ${a.split(' ')[0]}, what do you get for x if 3x + 4 = 19?`,
      'I think it is five because fifteen over three is five.',
      `Good. ${b.split(' ')[0]}, my brother Jake said the same thing yesterday.`,
      'Can you email the worksheet to my mum at mum.lopez@gmail.com please?',
      'Let us move on to question seven on page 112.',
    ][Math.floor(random() * 5)];
    const length = 2 + random() * 6;
    lines.push(String(i), `${clock(at)} --> ${clock(at + length)}`, `${who}: ${text}`, '');
    at += length + random() * 2;
  }
  return lines.join('\n');
}

function chat(tutor: string, learner: string, random: () => number): string {
  const out: string[] = [];
  for (let i = 0; i < 20; i += 1) {
    const t = new Date((i * 90 + Math.floor(random() * 60)) * 1000).toISOString().slice(11, 19);
    out.push(i % 2 ? `${t} From ${learner} to Everyone: is it ${i} or ${i + 1}?` : `${t} From ${tutor} to Everyone: have a look at https://www.desmos.com/calculator`);
  }
  return `${out.join('\n')}\n`;
}
