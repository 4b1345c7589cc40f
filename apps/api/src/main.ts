import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppConfig, ConfigError, listenProblem, loadConfig } from '@lib/config';
import { installEdgeLimits } from './http/edge-limits';
import { installJsonBodyParser } from './http/json-body';
import { installMediaBodyParser } from './http/media-body';
import { ServiceModule, ServiceOptions } from './service.module';
import { ZOOM_WEBHOOK_PATH } from './webhooks/zoom-webhook.controller';

/** Builds the HTTP application for a configuration (tests call this with their own). */
export async function createService(config: AppConfig, options: ServiceOptions = {}): Promise<NestFastifyApplication> {
  // trustProxy decides which X-Forwarded-For hops count: the per-source limits key on the result.
  const adapter = new FastifyAdapter({ bodyLimit: config.zoom.webhookMaxBodyBytes, trustProxy: config.edge.trustProxy });
  const app = await NestFactory.create<NestFastifyApplication>(ServiceModule.forConfig(config, options), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  installJsonBodyParser(app, ZOOM_WEBHOOK_PATH, config.zoom.webhookMaxBodyBytes);
  installMediaBodyParser(app);
  if (config.runMode !== 'worker') await installEdgeLimits(app, config, ZOOM_WEBHOOK_PATH);
  if (config.runMode !== 'worker') {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Recording lifecycle and retention service')
        .setDescription('Zoom recordings of tutoring sessions: ingest, access, retention. Recordings are streamed, never downloadable.')
        .setVersion('1')
        .addBearerAuth()
        .build(),
    );
    SwaggerModule.setup('docs', app, document);
  }
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

export function startFromCommandLine(): void {
  runService().catch((error) => {
    process.stderr.write(`start-up failed: ${(error as Error).message}\n`);
    process.exit(1);
  });
}

if (require.main === module) startFromCommandLine();
