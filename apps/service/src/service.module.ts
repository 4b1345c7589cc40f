import { DynamicModule, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { Clock, ClockModule } from '@lib/clock';
import { AppConfig, ConfigModule } from '@lib/config';
import { DatabaseModule } from '@lib/database';
import { JobsModule } from '@lib/jobs';
import { MediaModule } from '@lib/media';
import { ObservabilityModule, pathOnly, REDACTED_LOG_PATHS } from '@lib/observability';
import { ResearchModule } from '@lib/research';
import { StorageModule } from '@lib/storage';
import { ApiModule, OperationsHttpModule } from '../../api/src';
import { WorkerModule } from '../../worker/src';

export interface ServiceOptions {
  clock?: Clock;
}

/**
 * The whole service for one run mode: one codebase, three entry points. This is the one place that
 * brings the api and the worker together (they never import each other: .dependency-cruiser.cjs).
 */
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
        // Global: consent's ResearchExports port (a withdrawal or erasure revokes exports) in every process.
        ResearchModule,
        OperationsHttpModule,
        ...(serveApi ? [ApiModule] : []),
        ...(runWorker ? [WorkerModule] : []),
      ],
    };
  }
}
