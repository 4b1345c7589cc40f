import { DynamicModule, INestApplicationContext, LoggerService, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditModule } from '@lib/audit';
import { ClockModule } from '@lib/clock';
import { AppConfig, ConfigModule } from '@lib/config';
import { DatabaseModule } from '@lib/database';
import { JobsModule } from '@lib/jobs';
import { ObservabilityModule } from '@lib/observability';
import { RetentionModule } from '@lib/retention';
import { StorageModule } from '@lib/storage';

/** What a command needs: the database and audit trail (with the bucket, for its anchors), or the whole retention machinery too. */
export type CliNeeds = 'audit' | 'retention';

/**
 * The Nest modules behind operator commands, without HTTP, queue workers or schedulers: the same
 * services the API and the worker use (one use case, three callers).
 */
@Module({})
export class CliModule {
  static forConfig(config: AppConfig, needs: CliNeeds): DynamicModule {
    const base: Array<Type | DynamicModule> = [ConfigModule.withConfig(config), ClockModule.use(), ObservabilityModule, DatabaseModule, StorageModule, AuditModule];
    const retention: Array<Type | DynamicModule> = [JobsModule, RetentionModule];
    return { module: CliModule, imports: needs === 'retention' ? [...base, ...retention] : base };
  }
}

/** Nest's console logger writes to stdout, which belongs to the command's result: warnings go to stderr. */
const stderrLogger: LoggerService = {
  log: () => undefined,
  warn: (message: unknown) => process.stderr.write(`warn: ${String(message)}\n`),
  error: (message: unknown) => process.stderr.write(`error: ${String(message)}\n`),
};

/** Runs `fn` inside an application context and always closes it (connections, the embedded S3). */
export async function withCliContext<T>(config: AppConfig, needs: CliNeeds, fn: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const app = await NestFactory.createApplicationContext(CliModule.forConfig(config, needs), { logger: stderrLogger, abortOnError: false });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
