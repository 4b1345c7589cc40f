import { INestApplicationContext, Module, Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ConfigModule, loadConfig } from '@lib/config';
import { DatabaseModule, migrate } from '@lib/database';

export const PG_ADMIN = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A migrated database of the suite's own on the machine's PostgreSQL, dropped by `drop()`. */
export class TestDatabase {
  private constructor(readonly url: string) {}

  /** A database made by other means (a test that migrates in steps). */
  static existing(url: string): TestDatabase {
    return new TestDatabase(url);
  }

  static async create(): Promise<TestDatabase> {
    const url = PG_ADMIN.replace(/\/[^/]*$/, `/rec_test_${randomBytes(5).toString('hex')}`);
    await migrate(url);
    return new TestDatabase(url);
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

  async drop(): Promise<void> {
    const admin = new Client({ connectionString: PG_ADMIN });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${new URL(this.url).pathname.slice(1)}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
}
