import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

const TAGS: Array<[string, string]> = [
  ['webhooks', "Zoom's signed deliveries"],
  ['sessions', 'tutoring sessions registered by the platform'],
  ['recordings', 'archived recordings and their artifacts'],
  ['people', 'consent decisions, opt-outs and erasure'],
  ['holds', 'legal and safeguarding holds that pause deletion'],
  ['retention', 'retention rules and the state of deletions'],
  ['uploads', 'images of learners and verification videos'],
  ['audit', 'the hash-chained audit trail'],
  ['operations', 'liveness, readiness and metrics'],
];

/**
 * The OpenAPI document served at /docs (JSON at /docs-json). Operation ids are `<area><Method>`
 * (`recordingsGet`, `holdsPlace`): stable names for generated clients.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Recording lifecycle and retention service')
    .setDescription('Zoom recordings of tutoring sessions: ingest, access, retention. Recordings are streamed, never downloadable.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'claims: sub = person id, roles' }, 'bearer');
  for (const [name, description] of TAGS) builder.addTag(name, description);
  return SwaggerModule.createDocument(app, builder.build(), {
    operationIdFactory: (controllerKey, methodKey) => `${lowerFirst(controllerKey.replace(/Controller$/, ''))}${upperFirst(methodKey)}`,
  });
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
