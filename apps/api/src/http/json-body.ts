import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import sjson from 'secure-json-parse';

export interface RawBodyRequest extends FastifyRequest {
  rawBody?: Buffer;
  bodyIsMalformed?: boolean;
}

/** Prototype-poisoning keys are dropped, not obeyed. */
export function parseJson(raw: Buffer): unknown {
  return sjson.parse(raw.toString('utf8'), undefined, { protoAction: 'remove', constructorAction: 'remove' });
}

/**
 * A body parsed on first use only. The webhook hands this to the intake, which reads it after the
 * signature is verified: bytes from anyone who is not Zoom are never parsed (issue 11 A.11).
 */
export function deferredJson(raw: Buffer | undefined): { readonly malformed: boolean; readonly value: unknown } {
  let parsed: { malformed: boolean; value: unknown } | null = null;
  const parse = () => {
    if (parsed) return parsed;
    if (raw === undefined || raw.length === 0) return (parsed = { malformed: raw === undefined, value: undefined });
    try {
      parsed = { malformed: false, value: parseJson(raw) };
    } catch {
      parsed = { malformed: true, value: undefined };
    }
    return parsed;
  };
  return {
    get malformed() {
      return parse().malformed;
    },
    get value() {
      return parse().value;
    },
  };
}

/**
 * JSON bodies are kept as raw bytes beside the parsed value: Zoom's signature covers the raw bytes.
 * The webhook's body is not parsed here at all (see `deferredJson`); other routes refuse a
 * malformed body with 400 before their handler runs.
 */
export function installJsonBodyParser(app: NestFastifyApplication, webhookPath: string, bodyLimit: number): void {
  app.useBodyParser('application/json', { bodyLimit }, (request, body, done) => {
    const req = request as RawBodyRequest;
    req.rawBody = body as Buffer;
    if ((body as Buffer).length === 0 || request.routeOptions.url === webhookPath) return done(null, undefined);
    try {
      done(null, parseJson(body as Buffer));
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
