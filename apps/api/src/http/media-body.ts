import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** The media types `POST /v1/uploads` takes as its body. */
export const MEDIA_BODY_TYPES = /^(image|video)\/[a-z0-9.+-]+/i;

/**
 * Uploads arrive as the raw file (image/*, video/*): the body is handed to the route as the
 * request stream itself, never buffered, so it flows straight to the bucket. The route enforces
 * its own size limit (Fastify's bodyLimit applies to buffered bodies only).
 */
export function installMediaBodyParser(app: NestFastifyApplication): void {
  app.getHttpAdapter().getInstance().addContentTypeParser(MEDIA_BODY_TYPES, (_request, payload, done) => done(null, payload));
}
