import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import sjson from 'secure-json-parse';

export interface RawBodyRequest extends FastifyRequest {
  rawBody?: Buffer;
  bodyIsMalformed?: boolean;
}

/**
 * JSON bodies are kept as raw bytes beside the parsed value: Zoom's signature covers the raw bytes,
 * and a webhook must be checked for its signature before its JSON (an unsigned request is a 401
 * whatever its body). Other routes refuse a malformed body with 400 before their handler runs.
 */
export function installJsonBodyParser(app: NestFastifyApplication, webhookPath: string, bodyLimit: number): void {
  app.useBodyParser('application/json', { bodyLimit }, (request, body, done) => {
    const req = request as RawBodyRequest;
    req.rawBody = body as Buffer;
    if ((body as Buffer).length === 0) return done(null, undefined);
    try {
      done(null, sjson.parse((body as Buffer).toString('utf8'), undefined, { protoAction: 'remove', constructorAction: 'remove' }));
    } catch {
      req.bodyIsMalformed = true;
      done(null, undefined);
    }
  });
  app.getHttpAdapter().getInstance().addHook('preHandler', async (request, reply) => {
    if ((request as RawBodyRequest).bodyIsMalformed && request.routeOptions.url !== webhookPath) {
      await reply.status(400).send({ statusCode: 400, message: 'request body is not valid JSON' });
    }
  });
}
