import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '@lib/config';
import { ZOOM_WEBHOOK_PATH } from '../webhooks/zoom-webhook.controller';
import { installEdgeLimits } from './edge-limits';
import { installJsonBodyParser } from './json-body';
import { installMediaBodyParser } from './media-body';
import { buildOpenApiDocument } from './openapi';

/** Body parsers for every process that serves HTTP, and the OpenAPI document where the API is served. */
export async function configureHttp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  installJsonBodyParser(app, ZOOM_WEBHOOK_PATH, config.zoom.webhookMaxBodyBytes);
  installMediaBodyParser(app);
  if (config.runMode === 'worker') return;
  await installEdgeLimits(app, config, ZOOM_WEBHOOK_PATH);
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app));
}
