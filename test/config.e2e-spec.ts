import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { migrate } from '@lib/database';
import { freePort } from './support/ports';
import { waitFor } from './support/wait';

/**
 * Start-up (CONTRACT "Configuration", "Start-up"): a missing or malformed setting stops the built
 * service with a clear line naming the variable; with NODE_ENV=production it starts given only
 * the variables that have no default.
 */

const ROOT = path.resolve(__dirname, '..');
const MAIN = path.join(ROOT, 'dist/apps/api/src/main.js');
const PG_ADMIN = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const EXIT_WITHIN_MS = 10_000;

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The built service with exactly this environment (plus PATH): nothing leaks in from jest's own. */
function startBuilt(env: Record<string, string>): Run {
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function stopChild(run: Run): Promise<void> {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return;
  run.child.kill('SIGTERM');
  // A safety net, not a wait: a child that ignores SIGTERM is killed so the suite does not hang.
  const timer = setTimeout(() => run.child.kill('SIGKILL'), 10_000);
  await run.exited;
  clearTimeout(timer);
}

describe('start-up configuration of the built service', () => {
  let scratch: string;
  const started: Run[] = [];

  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'config-e2e-'));
    // A no-op when dist/ is up to date with the sources.
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.js')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }, 300_000);

  afterAll(async () => {
    await Promise.all(started.map(stopChild));
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /**
   * Settings that are harmless should a bad configuration be accepted by mistake: a database that
   * does not exist, a private S3 folder and port, a queue prefix of its own, a free HTTP port.
   */
  async function harmlessBase(): Promise<Record<string, string>> {
    return {
      PORT: String(await freePort()),
      DATABASE_URL: PG_ADMIN.replace(/\/[^/]*$/, `/rec_config_never_${randomBytes(4).toString('hex')}`),
      S3_DATA_DIR: path.join(scratch, `s3-${randomBytes(4).toString('hex')}`),
      S3_EMBEDDED_PORT: String(await freePort()),
      QUEUE_PREFIX: `test-config-${randomBytes(4).toString('hex')}`,
    };
  }

  async function expectRefusal(env: Record<string, string>, variables: string[]): Promise<void> {
    const startedAt = Date.now();
    const run = startBuilt({ ...(await harmlessBase()), ...env });
    started.push(run);
    // A deadline, not a sleep: the race ends as soon as the process exits; the bound is the promise under test.
    const timeout = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), EXIT_WITHIN_MS).unref());
    const outcome = await Promise.race([run.exited, timeout]);
    expect(outcome).not.toBe('still running');
    expect(Date.now() - startedAt).toBeLessThan(EXIT_WITHIN_MS);
    expect((outcome as { code: number | null }).code).not.toBe(0);
    expect((outcome as { code: number | null }).code).not.toBeNull();
    // One clear line per problem, not a crash: no stack trace.
    expect(run.stderr()).not.toMatch(/^\s+at /m);
    const lines = run.stderr().split('\n').filter(Boolean);
    for (const variable of variables) {
      expect(lines.filter((line) => line.includes(variable))).toHaveLength(1);
    }
  }

  it('refuses PORT=abc, exiting non-zero within 10 s with a line naming PORT', async () => {
    await expectRefusal({ NODE_ENV: 'development', PORT: 'abc' }, ['PORT']);
  });

  it("refuses ZOOM_DOWNLOAD_HOSTS='ftp://x', exiting non-zero within 10 s with a line naming ZOOM_DOWNLOAD_HOSTS", async () => {
    await expectRefusal({ NODE_ENV: 'development', ZOOM_DOWNLOAD_HOSTS: 'ftp://x' }, ['ZOOM_DOWNLOAD_HOSTS']);
  });

  it('refuses to listen on HOST=0.0.0.0 while the development secrets are in effect, naming HOST', async () => {
    await expectRefusal({ NODE_ENV: 'development', HOST: '0.0.0.0' }, ['HOST']);
  });

  it('refuses NODE_ENV=production without secrets, naming ZOOM_WEBHOOK_SECRET_TOKEN, MEDIA_MASTER_KEY and AUTH_JWT_SECRET', async () => {
    await expectRefusal({ NODE_ENV: 'production' }, ['ZOOM_WEBHOOK_SECRET_TOKEN', 'MEDIA_MASTER_KEY', 'AUTH_JWT_SECRET']);
  });

  it('refuses a MEDIA_MASTER_KEY shorter than 32 bytes, naming MEDIA_MASTER_KEY', async () => {
    await expectRefusal(
      {
        NODE_ENV: 'production',
        ZOOM_WEBHOOK_SECRET_TOKEN: randomBytes(16).toString('hex'),
        AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
        MEDIA_MASTER_KEY: randomBytes(16).toString('base64'),
      },
      ['MEDIA_MASTER_KEY'],
    );
  });

  describe('in production with only the required variables', () => {
    const databaseUrl = PG_ADMIN.replace(/\/[^/]*$/, `/rec_config_${randomBytes(5).toString('hex')}`);
    const queuePrefix = `test-config-${randomBytes(5).toString('hex')}`;

    beforeAll(async () => {
      await migrate(databaseUrl);
    });

    afterAll(async () => {
      await Promise.all(started.map(stopChild));
      const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1 });
      try {
        const keys = await redis.keys(`${queuePrefix}:*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
      const admin = new Client({ connectionString: PG_ADMIN });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${new URL(databaseUrl).pathname.slice(1)}" WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    });

    it('serves /health within 60 s and logs none of its secrets', async () => {
      const port = await freePort();
      const secrets = {
        ZOOM_WEBHOOK_SECRET_TOKEN: `zoom-${randomBytes(16).toString('hex')}`,
        MEDIA_MASTER_KEY: randomBytes(32).toString('base64'),
        AUTH_JWT_SECRET: `jwt-${randomBytes(24).toString('hex')}`,
      };
      const run = startBuilt({
        NODE_ENV: 'production',
        ...secrets,
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        REDIS_URL,
        S3_DATA_DIR: path.join(scratch, 's3-production'),
        S3_EMBEDDED_PORT: String(await freePort()),
        QUEUE_PREFIX: queuePrefix,
      });
      started.push(run);
      const startedAt = Date.now();
      let exit: unknown = null;
      void run.exited.then((e) => (exit = e));

      const health = await waitFor(
        async () => {
          if (exit) throw new Error(`service exited ${JSON.stringify(exit)}: ${run.stderr().slice(-2000)}`);
          const res = await fetch(`http://127.0.0.1:${port}/health`);
          return res.status === 200 ? ((await res.json()) as unknown) : null;
        },
        '/health of the production service',
        60_000,
        250,
      ).catch((error: Error) => {
        throw new Error(`${error.message}\nstderr: ${run.stderr().slice(-2000)}`);
      });
      expect(health).toEqual({ status: 'ok' });
      expect(Date.now() - startedAt).toBeLessThan(60_000);

      await stopChild(run);
      for (const secret of Object.values(secrets)) {
        expect(run.stdout()).not.toContain(secret);
        expect(run.stderr()).not.toContain(secret);
      }
    });
  });
});
