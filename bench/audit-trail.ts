// The audit trail, logged then sealed (issue 15, "Benchmarks"), in this process against the real
// PostgreSQL and the embedded S3 server (its own process):
//  1. append throughput: 16 concurrent workers, each running transactions of one business INSERT
//     plus `AuditTrail.append`; baseline, same run, interleaved: the same transactions with a plain
//     INSERT of the same row (content hash included) into a table shaped like audit_log (goal ≥ 0.7×);
//  2. sealing lag under that load: `AuditSealer.seal()` every second, as the worker runs it;
//     lag = sealed_at − the event's `at` (goal p99 < 5 s);
//  3. verification of 1,000,000 events (topped up with `appendMany`, sealed, the head anchored, then
//     1,000 more sealed past the anchor): `verify('full')` and `verify('incremental')`.
//
//   node dist/bench/audit-trail.js      (or: bash scripts/bench.sh audit)
//   BENCH_AUDIT_EVENTS=50000 BENCH_AUDIT_SECONDS=4 node dist/bench/audit-trail.js   (a quick try)
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { AuditAnchors, AuditModule, AuditSealer, AuditTrail, contentHash } from '@lib/audit';
import { ClockModule } from '@lib/clock';
import { ConfigModule, loadConfig } from '@lib/config';
import { DatabaseModule, Sql, Transactions } from '@lib/database';
import { ObservabilityModule } from '@lib/observability';
import { StorageModule } from '@lib/storage';
import { benchId, createDatabase, describeMachine, dropDatabase, figure, log, machineInfo, percentile, printFigures, round, runBench, sleep, startS3Server, writeResults } from './support';

const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
/** BENCH_KEEP_DB=1 leaves the database behind (its URL is logged) to look at the plans of the verification queries. */
const WORKERS = Number(process.env.BENCH_AUDIT_WORKERS ?? 16);
/** Seconds of load per side, split in ROUNDS interleaved rounds (baseline, trail, baseline, …) so a disturbance hits both. */
const SECONDS = Number(process.env.BENCH_AUDIT_SECONDS ?? 10);
const ROUNDS = 5;
const BATCH = 5000;
const AFTER_ANCHOR = 1000;
const BUCKET = 'bench-audit';

interface Parts {
  app: INestApplicationContext;
  trail: AuditTrail;
  sealer: AuditSealer;
  anchors: AuditAnchors;
  tx: Transactions;
  sql: Sql;
}

runBench('audit-trail', async (cleanup) => {
  const machine = await machineInfo();
  log(describeMachine(machine));
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-audit-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  const id = benchId();
  const server = await startS3Server(path.join(dir, 's3'), BUCKET);
  cleanup(() => server.proc.kill('SIGTERM'));
  const databaseUrl = await createDatabase(`bench_audit_${id}`);
  if (process.env.BENCH_KEEP_DB !== '1') cleanup(() => dropDatabase(databaseUrl)); else log(`keeping ${databaseUrl}`);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  cleanup(() => db.end());
  // The business row, and a table shaped like audit_log (same columns, unique hash, subject index) for the baseline.
  await db.query(`CREATE TABLE bench_orders (id bigserial PRIMARY KEY, worker int NOT NULL, n int NOT NULL, note text NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
  await db.query(`CREATE TABLE bench_plain_audit (LIKE audit_log INCLUDING CONSTRAINTS INCLUDING INDEXES)`);
  await db.query(`CREATE SEQUENCE bench_plain_audit_id OWNED BY bench_plain_audit.id`);
  await db.query(`ALTER TABLE bench_plain_audit ALTER COLUMN id SET DEFAULT nextval('bench_plain_audit_id'), ALTER COLUMN details SET DEFAULT '{}'`);

  const parts = await context(databaseUrl, server.endpoint);
  cleanup(() => parts.app.close());

  // --- 1 and 2: append throughput and sealing lag under load ------------------------------------
  let sealing = true;
  const sealerLoop = (async () => {
    while (sealing) {
      const t0 = Date.now();
      await parts.sealer.seal();
      await sleep(Math.max(0, 1000 - (Date.now() - t0)));
    }
  })();
  const rounds: Array<{ side: 'baseline' | 'trail'; events: number; seconds: number }> = [];
  for (const side of Array.from({ length: 2 * ROUNDS }, (_, i): 'baseline' | 'trail' => (i % 2 ? 'trail' : 'baseline'))) {
    const r = await load(parts, side, SECONDS / ROUNDS);
    rounds.push({ side, ...r });
    log(`${side}: ${r.events} transactions in ${round(r.seconds, 2)} s (${Math.round(r.events / r.seconds)}/s)`);
  }
  sealing = false;
  await sealerLoop;
  await parts.sealer.seal(); // whatever the last pass left
  const rate = (side: string) => {
    const mine = rounds.filter((r) => r.side === side);
    return mine.reduce((s, r) => s + r.events, 0) / mine.reduce((s, r) => s + r.seconds, 0);
  };
  const lags = (await db.query<{ ms: number }>(`SELECT extract(epoch FROM s.sealed_at - e.at) * 1000 AS ms FROM audit_seals s JOIN audit_log e ON e.id = s.event_id`)).rows
    .map((r) => Number(r.ms))
    .sort((a, b) => a - b);
  const lagP50 = percentile(lags, 50) / 1000;
  const lagP99 = percentile(lags, 99) / 1000;
  log(`sealing lag over ${lags.length} events: p50 ${round(lagP50, 3)} s, p99 ${round(lagP99, 3)} s, max ${round(lags[lags.length - 1] / 1000, 3)} s`);

  // --- 3: verification of EVENTS events --------------------------------------------------------
  const have = Number((await db.query(`SELECT count(*) AS n FROM audit_log`)).rows[0].n);
  log(`topping up ${have} events to ${EVENTS} with appendMany (batches of ${BATCH})…`);
  const tFill = Date.now();
  for (let done = have; done < EVENTS; ) {
    const n = Math.min(BATCH, EVENTS - done);
    await parts.trail.appendMany(Array.from({ length: n }, (_, i) => fact(`fill-${done + i}`, done + i)));
    done += n;
  }
  const fillSeconds = (Date.now() - tFill) / 1000;
  const tSeal = Date.now();
  const sealed = await parts.sealer.seal();
  const sealSeconds = (Date.now() - tSeal) / 1000;
  const head = (await db.query<{ seq: string; hash: string }>(`SELECT s.seq::text AS seq, s.hash FROM audit_seals s ORDER BY s.seq DESC LIMIT 1`)).rows[0];
  await parts.anchors.write(head.seq, head.hash);
  log(`filled in ${round(fillSeconds, 1)} s; sealed ${sealed} in ${round(sealSeconds, 1)} s; anchored the head at seal ${head.seq}`);
  await parts.trail.appendMany(Array.from({ length: AFTER_ANCHOR }, (_, i) => fact(`after-anchor-${i}`, i)));
  await parts.sealer.seal(); // the anchor interval is an hour: these seals stay past the last anchor
  const anchorCount = (await parts.anchors.all()).valid.length;

  const timed = async (mode: 'full' | 'incremental') => {
    const t0 = process.hrtime.bigint();
    const result = await parts.trail.verify(mode);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (!result.ok) throw new Error(`verify(${mode}) failed: ${result.reason}`);
    log(`verify('${mode}'): ${result.checked} checked in ${round(seconds, 2)} s`);
    return { seconds, checked: result.checked };
  };
  const full = await timed('full');
  const incremental = await timed('incremental');

  const trailRate = rate('trail');
  const baselineRate = rate('baseline');
  const figures = [
    figure({
      name: `transactions/s with AuditTrail.append (business INSERT + audit event, ${WORKERS} workers)`,
      value: trailRate,
      unit: 'tx/s',
      baselineName: 'the same transactions with a plain INSERT of the same row into a table like audit_log',
      baseline: baselineRate,
      goal: '≥ 0.7×',
      met: trailRate >= 0.7 * baselineRate,
      note: `${SECONDS} s per side in ${ROUNDS} interleaved rounds; the sealer ran every second throughout`,
    }),
    figure({
      name: 'sealing lag p99 under that load (sealed_at − event at)',
      value: lagP99,
      unit: 's',
      baselineName: 'the seal interval',
      baseline: 1,
      goal: '< 5 s',
      met: lagP99 < 5,
      note: `p50 ${round(lagP50, 3)} s, max ${round(lags[lags.length - 1] / 1000, 3)} s over ${lags.length} events`,
    }),
    figure({
      name: `verify('full') of ${full.checked} events`,
      value: full.seconds,
      unit: 's',
      baselineName: `sealing them (AuditSealer.seal, ${sealed} events)`,
      baseline: sealSeconds,
      goal: '—',
      met: true,
      note: `${round(full.checked / full.seconds)} events/s; ${anchorCount} anchors; filled with appendMany at ${Math.round((EVENTS - have) / fillSeconds)} events/s`,
    }),
    figure({
      name: `verify('incremental') from the last anchor (${AFTER_ANCHOR} seals past it)`,
      value: incremental.seconds,
      unit: 's',
      baselineName: "verify('full')",
      baseline: full.seconds,
      goal: '—',
      met: true,
      note: `${incremental.checked} checked (anchors are read from the bucket either way)`,
    }),
  ];
  printFigures('audit trail', figures);
  const file = writeResults('audit-trail', { bench: 'audit-trail', machine, events: EVENTS, workers: WORKERS, rounds, lagP50, lagP99, fillSeconds, sealSeconds, full, incremental, anchorCount, figures });
  log(`results: ${file}`);
});

/** The lib's own modules, as the worker builds them, with S3 pointed at the bench's server; anchors are written by hand. */
async function context(databaseUrl: string, endpoint: string): Promise<Parts> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    S3_ENDPOINT: endpoint,
    S3_BUCKET: BUCKET,
    S3_SSE: 'none',
    MEDIA_MASTER_KEY: randomBytes(32).toString('base64'),
    AUDIT_ANCHOR_INTERVAL_MS: '3600000',
  });
  @Module({ imports: [ConfigModule.withConfig(config), ObservabilityModule, ClockModule.use(), DatabaseModule, StorageModule, AuditModule] })
  class BenchAuditModule {}
  const app = await NestFactory.createApplicationContext(BenchAuditModule, { logger: ['error'] });
  return { app, trail: app.get(AuditTrail), sealer: app.get(AuditSealer), anchors: app.get(AuditAnchors), tx: app.get(Transactions), sql: app.get(Sql) };
}

let serial = 0;
const fact = (subjectId: string, n: number) => ({ actorId: 'person-bench', action: 'recording.viewed', subjectType: 'recording', subjectId, details: { n } });

/** WORKERS loops of one transaction after another for `seconds`: the business row plus its audit event. */
async function load(p: Parts, side: 'baseline' | 'trail', seconds: number): Promise<{ events: number; seconds: number }> {
  const until = Date.now() + seconds * 1000;
  let events = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, worker) => {
      while (Date.now() < until) {
        const n = (serial += 1);
        await p.tx.run(async () => {
          await p.sql.run('INSERT INTO bench_orders (worker, n, note) VALUES ($1, $2, $3)', [worker, n, 'viewed']);
          const e = fact(`${side}-${n}`, n);
          if (side === 'trail') {
            await p.trail.append(e);
          } else {
            const at = new Date();
            await p.sql.run(
              `INSERT INTO bench_plain_audit (at, actor_id, action, subject_type, subject_id, details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6::jsonb, NULL, $7)`,
              [at, e.actorId, e.action, e.subjectType, e.subjectId, JSON.stringify(e.details), contentHash({ ...e, at })],
            );
          }
        });
        events += 1;
      }
    }),
  );
  return { events, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}
