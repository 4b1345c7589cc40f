import SwaggerParser from '@apidevtools/swagger-parser';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FakeZoomHost,
  fakeDownloadToken,
  randomMeetingId,
  randomMeetingUuid,
  recordingCompletedEvent,
  sendWebhook,
  urlValidationEvent,
  zoomTime,
} from '@lib/zoom-simulator';
import { Answer, call } from './support/api-client';
import { registerSession } from './support/builders';
import { ServiceHarness, ZOOM_SECRET } from './support/harness';
import { waitFor } from './support/wait';
import { documentedPath, OpenApiDocument, operationsOf, resolveSchema, Schema, schemaProblems } from './support/openapi';

/**
 * CONTRACT "HTTP": the API is described at /docs (JSON at /docs-json), every operation with a
 * one-line summary and its request and response schemas, so the platform can generate a client.
 * The document is checked as a generator would read it, and real answers are checked against it.
 */

/** The routes of CONTRACT.md the service has today (the others arrive with their issues). */
const CONTRACT_ROUTES = [
  'post /webhooks/zoom',
  'get /health',
  'get /health/ready',
  'get /metrics',
  'put /v1/sessions/{sessionId}',
  'post /v1/people/{personId}/consents',
  'get /v1/people/{personId}/consents',
  'post /v1/people/{personId}/erasure',
  'get /v1/recordings',
  'get /v1/recordings/{id}',
  'post /v1/holds',
  'delete /v1/holds/{id}',
  'get /v1/audit',
  'get /v1/audit/verify',
  'post /v1/uploads',
  'post /v1/uploads/{id}/review',
  'get /v1/retention/status',
  'post /v1/recordings/{id}/playback',
  'get /v1/recordings/{id}/transcript',
];
/** Open without a bearer token: Zoom signs its webhook; probes and the scraper; playback URIs carry their own token. */
const PUBLIC_ROUTES = [
  'post /webhooks/zoom',
  'get /health',
  'get /health/ready',
  'get /metrics',
  ...['index.m3u8', 'key', 'poster.jpg', '{segment}'].map((file) => `get /v1/playback/{token}/${file}`),
];

const TRANSCRIPT = Buffer.from('WEBVTT\n\n1\n00:00:00.400 --> 00:00:02.000\nMs Rivera: Shall we start with fractions?\n');
const key = (o: { method: string; path: string }) => `${o.method} ${o.path}`;

describe('OpenAPI description at /docs-json', () => {
  const host = new FakeZoomHost();
  const dir = mkdtempSync(join(tmpdir(), 'openapi-media-'));
  let harness: ServiceHarness;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    await host.start();
    harness = await ServiceHarness.start({ env: { ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(',') } });
    const res = await fetch(`${harness.baseUrl}/docs-json`);
    expect(res.status).toBe(200);
    doc = await res.json();
  });

  afterAll(async () => {
    await host.stop();
    await harness?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Checks an answer against the schema documented for its operation and status. */
  function conforms(method: string, path: string, res: Answer): void {
    const operation = documentedPath(doc, method, path);
    expect([method, path, operation ? 'documented' : 'undocumented']).toEqual([method, path, 'documented']);
    const response = operation!.op.responses[String(res.status)];
    expect([method, path, res.status, response ? 'documented' : 'undocumented']).toEqual([method, path, res.status, 'documented']);
    const schema = (response.content?.['application/json'] ?? response.content?.['text/plain'])?.schema;
    expect([method, path, res.status, schema ? schemaProblems(doc, schema, res.body) : ['no schema']]).toEqual([method, path, res.status, []]);
  }
  const api = async (method: string, path: string, opts: Parameters<typeof call>[3] = {}) => {
    const res = await call(harness, method, path, opts);
    conforms(method, path, res);
    return res;
  };

  describe('the document', () => {
    it('is a valid OpenAPI document', async () => {
      await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
    });

    it('gives every operation a one-line summary and a unique operationId', () => {
      const ops = operationsOf(doc);
      expect(ops.filter((o) => !(typeof o.op.summary === 'string' && /^[^\n]{3,120}$/.test(o.op.summary))).map(key)).toEqual([]);
      expect(new Set(ops.map((o) => o.op.operationId)).size).toBe(ops.length);
    });

    it('gives every operation a 2xx answer with a schema that names its fields (or a declared 204 without a body)', () => {
      const bare = operationsOf(doc).filter(({ op }) => {
        const success = Object.entries<Schema>(op.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
        const described = success.some(([, r]) =>
          Object.values<Schema>(r.content ?? {}).some(({ schema }) => {
            const s = resolveSchema(doc, schema);
            return s && (s.type === 'string' || s.oneOf || s.type === 'array' || Object.keys(s.properties ?? {}).length > 0);
          }),
        );
        return !(described || success.some(([status, r]) => status === '204' && !r.content));
      });
      expect(bare.map(key)).toEqual([]);
    });

    it('gives every request body a schema', () => {
      const without = operationsOf(doc).filter(({ op }) => op.requestBody && !Object.values<Schema>(op.requestBody.content ?? {}).every((c) => c.schema));
      expect(without.map(key)).toEqual([]);
    });

    it('documents every route of the contract that exists today', () => {
      const documented = operationsOf(doc).map(key);
      expect(CONTRACT_ROUTES.filter((route) => !documented.includes(route))).toEqual([]);
    });

    it('declares the bearer scheme, requires it on every non-public operation, and describes its 401 and 403 with the error schema', () => {
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
      for (const o of operationsOf(doc)) {
        const isPublic = PUBLIC_ROUTES.includes(key(o));
        expect([key(o), (o.op.security ?? []).some((s: object) => 'bearer' in s)]).toEqual([key(o), !isPublic]);
        if (isPublic) continue;
        for (const status of ['401', '403']) {
          expect([key(o), status, o.op.responses[status]?.content?.['application/json']?.schema]).toEqual([key(o), status, { $ref: '#/components/schemas/ErrorResponse' }]);
        }
      }
    });

    it('describes the contract payloads with their fixed field names', () => {
      const fields = (name: string) => Object.keys(doc.components.schemas[name].properties).sort();
      const schemaOf = (path: string, method = 'get', status = '200') => resolveSchema(doc, doc.paths[path][method].responses[status].content['application/json'].schema);
      const recording = schemaOf('/v1/recordings/{id}');
      expect(Object.keys(recording.properties)).toEqual(expect.arrayContaining(['id', 'zoomMeetingUuid', 'sessionId', 'status', 'artifacts']));
      expect(Object.keys(resolveSchema(doc, recording.properties.artifacts.items).properties)).toEqual(
        expect.arrayContaining(['id', 'kind', 'status', 'sizeBytes', 'sha256', 'expiresAt', 'deletedAt', 'reason']),
      );
      // CONTRACT's fields, and `reason` (more fields are welcome).
      expect(Object.keys(schemaOf('/v1/audit/verify').properties).sort()).toEqual(['checked', 'firstBrokenId', 'ok', 'reason']);
      const auditItem = resolveSchema(doc, schemaOf('/v1/audit').properties.items.items);
      expect(Object.keys(auditItem.properties).sort()).toEqual(['action', 'actorId', 'at', 'id', 'subjectId', 'subjectType']);
      expect(Object.keys(schemaOf('/v1/holds', 'post', '201').properties)).toContain('id');
      expect(fields('ErrorResponse')).toEqual(['message', 'statusCode']);
    });

    it('answers 401 without a token on exactly the operations it documents as needing one', async () => {
      const wrong: string[] = [];
      for (const o of operationsOf(doc).filter((op) => !PUBLIC_ROUTES.includes(key(op)))) {
        const res = await fetch(`${harness.baseUrl}${o.path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000')}`, { method: o.method.toUpperCase() });
        if (res.status !== 401) wrong.push(`${key(o)} → ${res.status}`);
      }
      expect(wrong).toEqual([]);
    });
  });

  describe('real answers match the documented schemas', () => {
    it('health, readiness and metrics', async () => {
      await api('GET', '/health', { token: null });
      expect((await api('GET', '/health/ready', { token: null })).status).toBe(200);
      expect((await api('GET', '/metrics', { token: null })).body).toContain('# HELP');
    });

    it("Zoom's URL validation and a recording delivery", async () => {
      const validation = await sendWebhook(`${harness.baseUrl}/webhooks/zoom`, ZOOM_SECRET, urlValidationEvent('plain-token-123'));
      conforms('POST', '/webhooks/zoom', { status: validation.status, body: JSON.parse(validation.body) });
      const unsigned = await call(harness, 'POST', '/webhooks/zoom', { token: null, json: urlValidationEvent('x') });
      expect(unsigned.status).toBe(401);
      conforms('POST', '/webhooks/zoom', unsigned);
    });

    it('sessions, recordings (found, unmatched, linked), holds, audit and retention', async () => {
      const platform = { roles: ['platform'], sub: 'platform-service' };
      const session = {
        ...platform,
        json: {
          zoomMeetingId: '81234567890',
          startsAt: '2026-11-02T15:00:00Z',
          policyProfile: 'tutoring',
          tutor: { personId: 'tutor-o1', displayName: 'Ms Rivera' },
          learners: [{ personId: 'learner-o1', displayName: 'Elisa L', minor: true }],
        },
      };
      expect((await api('PUT', '/v1/sessions/o1', session)).status).toBe(201);
      expect((await api('PUT', '/v1/sessions/o1', session)).status).toBe(200);
      expect((await api('PUT', '/v1/sessions/o1', { ...session, json: { ...session.json, zoomMeetingId: 'x' } })).status).toBe(400);

      const recordingId = await deliverUnmatchedRecording();
      const found = await api('GET', `/v1/recordings?unmatched=true`);
      expect(found.body.items.map((r: { id: string }) => r.id)).toContain(recordingId);
      const one = await api('GET', `/v1/recordings/${recordingId}`);
      expect(one.body.artifacts.length).toBeGreaterThan(0);
      await api('GET', `/v1/recordings?zoomMeetingUuid=${encodeURIComponent(one.body.zoomMeetingUuid)}`);
      expect((await api('GET', '/v1/recordings/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await api('GET', `/v1/recordings/${recordingId}`, { roles: ['tutor'] })).status).toBe(403);
      expect((await api('POST', `/v1/recordings/${recordingId}/link`, { json: { sessionId: 'o1' } })).body.sessionId).toBe('o1');

      const hold = await api('POST', '/v1/holds', { roles: ['safety'], json: { scope: 'recording', targetId: recordingId, reason: 'complaint 17' } });
      expect(hold.status).toBe(201);
      await api('GET', `/v1/holds/${hold.body.id}`, { roles: ['safety'] });
      await api('GET', `/v1/recordings/${recordingId}`);
      expect((await api('DELETE', `/v1/holds/${hold.body.id}`, { roles: ['safety'] })).status).toBe(200);
      expect((await api('DELETE', `/v1/holds/${hold.body.id}`, { roles: ['safety'] })).status).toBe(409);

      await api('GET', `/v1/audit?subjectId=${recordingId}`);
      expect((await api('GET', '/v1/audit/verify')).body.ok).toBe(true);
      await api('GET', '/v1/retention/status');
      await api('GET', '/v1/retention/policies');
      const changed = await api('PUT', '/v1/retention/policies/classes', { json: { rules: { video: { keep: { amount: 60, unit: 'days' }, from: 'session_start' } } } });
      expect(changed.body.version).toBe(2);
    });

    it('consents, erasure and uploads', async () => {
      await registerSession(harness, 'o2', { zoomMeetingId: '81234567891', startsAt: '2026-11-05T09:00:00Z' });
      const platform = { roles: ['platform'], sub: 'platform-service' };
      const consent = { purpose: 'images', decision: 'grant', decidedBy: 'parent-o2', reason: 'class photo', evidence: 'signed form' };
      expect((await api('POST', '/v1/people/elisa-o2/consents', { ...platform, json: consent })).status).toBe(201);
      expect((await api('POST', '/v1/people/elisa-o2/consents', { ...platform, json: { purpose: 'research', decision: 'withdraw' } })).status).toBe(201);
      await api('GET', '/v1/people/elisa-o2/consents', platform);
      expect((await api('GET', '/v1/people/nobody-o2/consents', platform)).status).toBe(404);

      const png = make('work.png', ['-f', 'lavfi', '-i', 'testsrc=size=64x64', '-frames:v', '1']);
      const mp4 = make('check.mp4', ['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-t', '1', '-c:v', 'libx264']);
      const image = await api('POST', '/v1/uploads?kind=image&sessionId=o2&learnerIds=elisa-o2', { ...platform, raw: png, contentType: 'image/png' });
      expect(image.status).toBe(201);
      const video = await api('POST', '/v1/uploads?kind=verification_video&sessionId=o2&learnerIds=tom-o2', { ...platform, raw: mp4, contentType: 'video/mp4' });
      expect(video.status).toBe(201);
      const wrongType = await api('POST', '/v1/uploads?kind=image&sessionId=o2&learnerIds=elisa-o2', { ...platform, raw: Buffer.from('a description'), contentType: 'text/plain' });
      expect([wrongType.status, wrongType.body]).toEqual([415, expect.anything()]);
      expect((await api('POST', `/v1/uploads/${video.body.id}/review`, { roles: ['reviewer'], json: { decision: 'approved' } })).status).toBe(200);

      const erased = await api('POST', '/v1/people/elisa-o2/erasure', platform);
      expect([200, 202]).toContain(erased.status);
    });
    it('reviews (ok, safety with its hold, refused), the review queue and the transcript', async () => {
      const recordingId = await deliverUnmatchedRecording();
      expect((await api('POST', `/v1/recordings/${recordingId}/reviews`, { roles: ['reviewer'], json: { outcome: 'ok' } })).body.holdId).toBeNull();
      const safety = await api('POST', `/v1/recordings/${recordingId}/reviews`, { roles: ['safety'], json: { outcome: 'safety', note: 'see report 4' } });
      expect([safety.status, typeof safety.body.holdId]).toEqual([201, 'string']);
      expect((await api('POST', `/v1/recordings/${recordingId}/reviews`, { roles: ['reviewer'], json: { outcome: 'maybe' } })).status).toBe(400);
      expect((await api('POST', `/v1/recordings/${recordingId}/reviews`, { roles: ['volunteer_reviewer'], json: { outcome: 'ok' } })).status).toBe(403);
      expect((await api('POST', '/v1/recordings/00000000-0000-4000-8000-000000000000/reviews', { json: { outcome: 'ok' } })).status).toBe(404);
      expect((await api('GET', '/v1/reviews/queue?team=peer', { roles: ['reviewer'] })).status).toBe(200);
      // WebVTT, not JSON: the documented media type and a string schema.
      const transcript = await fetch(`${harness.baseUrl}/v1/recordings/${recordingId}/transcript`, { headers: { authorization: `Bearer ${await harness.token(['reviewer'])}` } });
      expect([transcript.status, transcript.headers.get('content-type')?.split(';')[0]]).toEqual([200, 'text/vtt']);
      expect(documentedPath(doc, 'GET', `/v1/recordings/${recordingId}/transcript`)!.op.responses['200'].content['text/vtt'].schema).toEqual({ type: 'string' });
      expect(await transcript.text()).toBe(TRANSCRIPT.toString());
      expect((await api('GET', '/v1/recordings/00000000-0000-4000-8000-000000000000/transcript', { roles: ['reviewer'] })).status).toBe(404);
    });

    // Last: it takes object storage away for a moment.
    it('readiness answers 503 in the documented error shape while object storage is down', async () => {
      await harness.s3.stop();
      try {
        const res = await waitFor(async () => {
          const answer = await call(harness, 'GET', '/health/ready', { token: null });
          return answer.status === 503 ? answer : null;
        }, 'readiness to notice S3 is down');
        conforms('GET', '/health/ready', res);
      } finally {
        await harness.s3.start();
      }
      await waitFor(async () => (await call(harness, 'GET', '/health/ready', { token: null })).status === 200, 'readiness back');
    });
  });

  function make(name: string, args: string[]): Buffer {
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', ...args, join(dir, name)]);
    return readFileSync(join(dir, name));
  }

  /** A signed recording.completed of a meeting no session names (one transcript), archived. */
  async function deliverUnmatchedRecording(): Promise<string> {
    const downloadToken = fakeDownloadToken();
    host.acceptToken(downloadToken);
    const served = host.addFile({ content: TRANSCRIPT, contentType: 'text/vtt' });
    const uuid = randomMeetingUuid();
    const body = recordingCompletedEvent({
      uuid,
      meetingId: randomMeetingId(),
      startTime: zoomTime(Date.now() - 3600_000),
      durationMinutes: 45,
      downloadToken,
      files: [{ fileType: 'TRANSCRIPT', fileExtension: 'VTT', recordingType: 'audio_transcript', downloadUrl: served.downloadUrl, size: served.size }],
    });
    const res = await sendWebhook(`${harness.baseUrl}/webhooks/zoom`, ZOOM_SECRET, body);
    conforms('POST', '/webhooks/zoom', { status: res.status, body: JSON.parse(res.body) });
    const [row] = await waitFor(
      async () => {
        const rows = await harness.query<{ id: string }>("SELECT id FROM recordings WHERE zoom_meeting_uuid = $1 AND status = 'archived'", [uuid]);
        return rows.length > 0 ? rows : null;
      },
      `recording ${uuid} archived`,
    );
    return row.id;
  }
});
