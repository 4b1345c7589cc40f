import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { createService } from '../../apps/service/src';
import { signDevToken } from '@lib/auth';
import { Clock } from '@lib/clock';
import { AppConfig, DEV_JWT_SECRET, loadConfig } from '@lib/config';
import { EmbeddedS3Server } from '@lib/storage';
import { createDatabase, dropDatabase } from './database';
import { freePort } from './ports';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ZOOM_SECRET = 'test-zoom-webhook-secret';

export interface HarnessOptions {
  /** Extra environment for the service (ZOOM_DOWNLOAD_HOSTS, ZOOM_CLOUD_COPY, …). */
  env?: Record<string, string>;
  runMode?: 'all' | 'api';
  clock?: Clock;
}

/**
 * One suite's own world: its own database, bucket folder and queue prefix on the machine's real
 * PostgreSQL and Redis, an embedded S3 server that outlives service restarts, and the real service
 * listening on a loopback port.
 */
export class ServiceHarness {
  app: NestFastifyApplication | null = null;
  baseUrl = '';
  config: AppConfig;
  readonly env: Record<string, string>;
  readonly db: Client;
  private readonly children: ChildProcess[] = [];

  private constructor(
    readonly databaseUrl: string,
    readonly s3: EmbeddedS3Server,
    readonly s3Dir: string,
    readonly queuePrefix: string,
    private readonly options: HarnessOptions,
  ) {
    this.env = {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      QUEUE_PREFIX: queuePrefix,
      S3_EMBEDDED_PORT: String(new URL(s3.endpoint).port),
      S3_DATA_DIR: s3Dir,
      S3_BUCKET: 'recordings',
      ZOOM_WEBHOOK_SECRET_TOKEN: ZOOM_SECRET,
      ARCHIVE_BACKOFF_BASE_MS: '200',
      INBOX_RELAY_INTERVAL_MS: '500',
      QUEUE_LOCK_DURATION_MS: '4000',
      RUN_MODE: options.runMode ?? 'all',
      // Packaging adds a stream artifact and objects to every recording; suites that test streams
      // turn it on (STREAM_PACKAGING: 'true'), the others keep their artifact lists as they were.
      STREAM_PACKAGING: 'false',
      // Likewise analysis (talk time, safety flags, their erasure counts): test/talk-time* turn it on.
      TALK_TIME_ANALYSIS: 'false',
      ...options.env,
    };
    this.config = loadConfig(this.env);
    this.db = new Client({ connectionString: databaseUrl });
  }

  static async start(options: HarnessOptions = {}): Promise<ServiceHarness> {
    const id = randomBytes(5).toString('hex');
    const databaseUrl = await createDatabase(`rec_test_${id}`);
    const s3Dir = mkdtempSync(path.join(tmpdir(), 'rec-s3-'));
    const s3 = new EmbeddedS3Server({ port: await freePort(), dataDir: s3Dir, bucket: 'recordings' });
    await s3.start();
    const harness = new ServiceHarness(databaseUrl, s3, s3Dir, `test-${id}`, options);
    await harness.db.connect();
    await harness.startService();
    return harness;
  }

  async startService(): Promise<void> {
    this.app = await createService(this.config, { clock: this.options.clock });
    await this.app.listen({ port: 0, host: '127.0.0.1' });
    this.baseUrl = (await this.app.getUrl()).replace('[::1]', '127.0.0.1');
  }

  async stopService(): Promise<void> {
    // A response a test left unread keeps its connection busy, and closing would wait for Fastify's
    // 72 s keep-alive: the suite is done with every connection by now.
    (this.app?.getHttpServer() as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
    await this.app?.close();
    this.app = null;
  }

  /** The built service as a separate process (`npm run build` first), e.g. a worker to kill. */
  spawnService(env: Record<string, string> = {}): ChildProcess {
    const child = spawn(process.execPath, [path.resolve(__dirname, '../../dist/apps/api/src/main.js')], {
      env: { ...process.env, ...this.env, PORT: '0', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.push(child);
    return child;
  }

  async token(roles: string[], sub = 'person-admin'): Promise<string> {
    return signDevToken(DEV_JWT_SECRET, { sub, roles, ttlSeconds: 3600, now: this.options.clock?.now() });
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query(sql, params)).rows as T[];
  }

  async stop(): Promise<void> {
    for (const child of this.children) if (child.exitCode === null) child.kill('SIGKILL');
    await this.stopService().catch(() => undefined);
    await this.db.end().catch(() => undefined);
    await this.s3.stop().catch(() => undefined);
    rmSync(this.s3Dir, { recursive: true, force: true });
    const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      const keys = await redis.keys(`${this.queuePrefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    await dropDatabase(this.databaseUrl).catch(() => undefined);
  }
}
