import { Controller, Get, Header } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { JobQueue } from '@lib/jobs';
import { MediaToolkit } from '@lib/media';
import { Metrics } from '@lib/observability';
import { ObjectStore } from '@lib/storage';
import { ApiErrors } from '../http/api-docs';
import { Public } from '../http/access.decorators';
import { DependencyStatusResponse, LivenessResponse, ReadinessResponse } from './health.response';

@ApiTags('operations')
@ApiExtraModels(DependencyStatusResponse)
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly jobs: JobQueue,
    private readonly store: ObjectStore,
    private readonly media: MediaToolkit,
    private readonly metrics: Metrics,
  ) {}

  /** Liveness: the process answers. */
  @Public()
  @Get('health')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: LivenessResponse })
  live(): LivenessResponse {
    return { status: 'ok' };
  }

  /** Readiness: PostgreSQL, Redis, object storage and ffmpeg answer (dependencies only). */
  @Public()
  @Get('health/ready')
  // Terminus's own swagger documentation would replace ours and describe a 503 body it never sends here.
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Readiness: PostgreSQL, Redis, object storage and ffmpeg answer' })
  @ApiOkResponse({ type: ReadinessResponse })
  // Terminus throws its result as a 503, which the one error filter answers in the shared error shape.
  @ApiErrors([503], { 503: 'a dependency is down (this body does not say which)' })
  ready() {
    return this.health.check([
      () => this.database.pingCheck('postgres', { timeout: 2000 }),
      () => this.probe('redis', () => this.jobs.ping()),
      () => this.probe('s3', () => this.store.checkReady()),
      () => this.probe('ffmpeg', () => this.media.version()),
    ]);
  }

  @Public()
  @Get('metrics')
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ content: { 'text/plain': { schema: { type: 'string', description: 'Prometheus text exposition format 0.0.4' } } } })
  @Header('content-type', 'text/plain; version=0.0.4')
  async scrape(): Promise<string> {
    try {
      for (const { queue, state, count } of await this.jobs.depth()) this.metrics.queueDepth.set({ queue, state }, count);
    } catch {
      // Redis down: the other metrics are still worth scraping.
    }
    return this.metrics.registry.metrics();
  }

  private async probe(key: string, check: () => Promise<unknown>) {
    const indicator = this.indicator.check(key);
    try {
      await withTimeout(check(), 2000);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message.slice(0, 200) });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]);
}
