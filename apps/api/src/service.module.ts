import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ValidationPipe } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AuditModule } from '@lib/audit';
import { AuthModule } from '@lib/auth';
import { Clock, ClockModule } from '@lib/clock';
import { AppConfig, ConfigModule } from '@lib/config';
import { ConsentModule } from '@lib/consent';
import { DatabaseModule } from '@lib/database';
import { IngestModule } from '@lib/ingest';
import { JobsModule } from '@lib/jobs';
import { MediaModule } from '@lib/media';
import { ObservabilityModule, pathOnly, REDACTED_LOG_PATHS } from '@lib/observability';
import { RetentionModule } from '@lib/retention';
import { SessionsModule } from '@lib/sessions';
import { StorageModule } from '@lib/storage';
import { UploadsModule } from '@lib/uploads';
import { WorkerModule } from '../../worker/src/worker.module';
import { AuditController } from './audit/audit.controller';
import { HealthController } from './health/health.controller';
import { PeopleController } from './people/people.controller';
import { AccessGuard } from './http/access.guard';
import { DomainErrorFilter } from './http/domain-error.filter';
import { RefusalLog } from './http/refusal-log';
import { RecordingsController } from './recordings/recordings.controller';
import { HoldsController } from './retention/holds.controller';
import { RetentionController } from './retention/retention.controller';
import { SessionsController } from './sessions/sessions.controller';
import { UploadsController } from './uploads/uploads.controller';
import { ZoomWebhookController } from './webhooks/zoom-webhook.controller';

/** Health, metrics and the error and access rules: every process that serves HTTP has these. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), AuthModule],
  controllers: [HealthController],
  providers: [
    RefusalLog,
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_FILTER, useClass: DomainErrorFilter },
    { provide: APP_PIPE, useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }) },
  ],
})
class OperationsHttpModule {}

/** The public API (RUN_MODE=api or all). */
@Module({
  imports: [IngestModule, SessionsModule, AuditModule, RetentionModule, ConsentModule, UploadsModule],
  controllers: [
    ZoomWebhookController,
    SessionsController,
    RecordingsController,
    AuditController,
    RetentionController,
    HoldsController,
    PeopleController,
    UploadsController,
  ],
})
class ApiModule {}

export interface ServiceOptions {
  clock?: Clock;
}

/** The whole service for one run mode: one codebase, three entry points. */
export class ServiceModule {
  static forConfig(config: AppConfig, options: ServiceOptions = {}): DynamicModule {
    const serveApi = config.runMode !== 'worker';
    const runWorker = config.runMode !== 'api';
    return {
      module: ServiceModule,
      imports: [
        ConfigModule.withConfig(config),
        LoggerModule.forRoot({
          // Zoom's webhook is the hot path: its outcomes are counted by metrics and its refusals
          // logged by the error filter, so it skips the per-request log middleware (~10% of its CPU).
          exclude: [{ method: RequestMethod.POST, path: 'webhooks/zoom' }],
          pinoHttp: {
            level: config.logLevel,
            redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
            serializers: {
              req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: pathOnly(req.url) }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            autoLogging: { ignore: (req) => ['/health', '/health/ready', '/metrics'].includes(pathOnly(req.url)) },
            // Refusals are logged by RefusalLog, sampled per source: a flood of them must not fill the logs.
            customLogLevel: (_req, res, error) => (res.statusCode === 401 || res.statusCode === 429 ? 'silent' : error ? 'error' : 'info'),
          },
        }),
        ClockModule.use(options.clock),
        ObservabilityModule,
        DatabaseModule,
        StorageModule,
        MediaModule,
        JobsModule,
        OperationsHttpModule,
        ...(serveApi ? [ApiModule] : []),
        ...(runWorker ? [WorkerModule] : []),
      ],
    };
  }
}
