import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppConfig, ConfigError, listenProblem, loadConfig } from '@lib/config';
import { configureHttp } from '../../api/src';
import { ServiceModule, ServiceOptions } from './service.module';

/** Builds the HTTP application for a configuration (tests call this with their own). */
export async function createService(config: AppConfig, options: ServiceOptions = {}): Promise<NestFastifyApplication> {
  // trustProxy decides which X-Forwarded-For hops count: the per-source limits key on the result.
  // maxParamLength: a playback token (signed claims, ~200 characters) is one path parameter; Fastify's default is 100 (414).
  const adapter = new FastifyAdapter({ bodyLimit: config.zoom.webhookMaxBodyBytes, trustProxy: config.edge.trustProxy, routerOptions: { maxParamLength: 1024 } });
  const app = await NestFactory.create<NestFastifyApplication>(ServiceModule.forConfig(config, options), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await configureHttp(app, config);
  return app;
}

/** Reads the environment, refuses a bad configuration naming each variable, and serves. */
export async function runService(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) process.stderr.write(`configuration error: ${problem}\n`);
      process.exit(1);
    }
    throw error;
  }
  const bind = listenProblem(config);
  if (bind) {
    process.stderr.write(`configuration error: ${bind}\n`);
    process.exit(1);
  }
  const app = await createService(config);
  await app.listen({ port: config.port, host: config.host });
  app.get(Logger).log(`recording service up (RUN_MODE=${config.runMode}) on port ${config.port}`);
}

/** What an entry point calls: serve, or say why not and exit 1. */
export function startFromCommandLine(): void {
  runService().catch((error) => {
    process.stderr.write(`start-up failed: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
