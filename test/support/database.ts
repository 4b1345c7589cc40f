import { INestApplicationContext, Module, Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ConfigModule, loadConfig } from '@lib/config';
import { DatabaseModule, migrate } from '@lib/database';

export const PG_ADMIN = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh, migrated database on the machine's PostgreSQL (suites and benches each get their own); returns its URL. */
export async function createDatabase(name = `rec_test_${randomBytes(5).toString('hex')}`, adminUrl = PG_ADMIN): Promise<string> {
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  await migrate(url);
  return url;
}

export async function dropDatabase(url: string, adminUrl = PG_ADMIN): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`refusing to drop database "${name}"`);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** A migrated database of the suite's own on the machine's PostgreSQL, dropped by `drop()`. */
export class TestDatabase {
  private constructor(readonly url: string) {}

  /** A database made by other means (a test that migrates in steps). */
  static existing(url: string): TestDatabase {
    return new TestDatabase(url);
  }

  static async create(): Promise<TestDatabase> {
    return new TestDatabase(await createDatabase());
  }

  async client(): Promise<Client> {
    const client = new Client({ connectionString: this.url });
    await client.connect();
    return client;
  }

  /** A Nest context with the configuration and the database module only (repositories, transactions). */
  async context(providers: Provider[] = []): Promise<INestApplicationContext> {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: this.url });
    @Module({ imports: [ConfigModule.withConfig(config), DatabaseModule], providers, exports: providers })
    class TestDatabaseModule {}
    return NestFactory.createApplicationContext(TestDatabaseModule, { logger: false });
  }

  drop(): Promise<void> {
    return dropDatabase(this.url);
  }
}
