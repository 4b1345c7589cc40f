import { GetObjectTaggingCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { createS3Client } from '@lib/storage';
import { FakeZoomHost, RecordingMedia, sendWebhook, simulateRecording } from '@lib/zoom-simulator';
import { ServiceHarness, ZOOM_SECRET } from './harness';
import { waitFor } from './wait';

/** Shared steps of the retention, holds and audit suites. */

export const DAY_MS = 24 * 3600_000;
export const BUCKET = 'recordings';

export interface ApiAnswer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function api(
  harness: ServiceHarness,
  method: string,
  pathname: string,
  opts: { roles?: string[]; sub?: string; body?: unknown; token?: string | null } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  const token = opts.token === undefined ? await harness.token(opts.roles ?? ['admin'], opts.sub ?? 'person-admin') : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${harness.baseUrl}${pathname}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (metrics).
  }
  return { status: res.status, body };
}

/** The sample roster: display names match the sample media's participants. */
export function sessionBody(id: string, overrides: Record<string, unknown> = {}) {
  return {
    zoomMeetingId: '81234567890',
    startsAt: new Date().toISOString(),
    program: 'gcse-maths',
    policyProfile: 'tutoring',
    tutor: { personId: `tutor-${id}`, displayName: 'Ms Rivera', email: 'ms.rivera@tutoring.example' },
    learners: [
      { personId: `learner-elisa-${id}`, displayName: 'Elisa L', minor: true },
      { personId: `learner-tom-${id}`, displayName: 'Tom K', minor: true },
    ],
    parents: [],
    ...overrides,
  };
}

export async function registerSession(harness: ServiceHarness, id: string, overrides: Record<string, unknown> = {}): Promise<void> {
  const res = await api(harness, 'PUT', `/v1/sessions/${id}`, { roles: ['platform'], sub: 'platform-service', body: sessionBody(id, overrides) });
  if (res.status !== 201 && res.status !== 200) throw new Error(`session ${id}: ${res.status} ${JSON.stringify(res.body)}`);
}

export interface ArtifactRow {
  id: string;
  kind: string;
  status: string;
  storage_key: string;
  expires_at: Date | null;
  policy_profile: string | null;
  policy_version: number | null;
  retention_class: string | null;
  reason: string | null;
}

export const artifactsOf = (harness: ServiceHarness, recordingId: string) =>
  harness.query<ArtifactRow>(
    `SELECT id, kind, status, storage_key, expires_at, policy_profile, policy_version, retention_class, reason
     FROM artifacts WHERE recording_id = $1 ORDER BY kind, id`,
    [recordingId],
  );

/**
 * Delivers a signed recording.completed for the media (signed at the service's clock) and waits
 * until every file is stored. Returns the recording id.
 */
export async function deliverRecording(
  harness: ServiceHarness,
  host: FakeZoomHost,
  media: RecordingMedia,
  opts: { meetingId: number; startTime: string; nowMs?: number },
): Promise<string> {
  const body = simulateRecording(host, media, { meetingId: opts.meetingId, startTime: opts.startTime });
  const files = body.payload.object.recording_files!.length + (body.payload.object.participant_audio_files?.length ?? 0);
  const answer = await sendWebhook(`${harness.baseUrl}/webhooks/zoom`, ZOOM_SECRET, body, {
    timestampSeconds: Math.floor((opts.nowMs ?? Date.now()) / 1000),
  });
  if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}: ${answer.body}`);
  const uuid = body.payload.object.uuid;
  const recording = await waitFor(async () => {
    const rows = await harness.query<{ id: string }>('SELECT id FROM recordings WHERE zoom_meeting_uuid = $1', [uuid]);
    if (rows.length === 0) return null;
    const artifacts = await artifactsOf(harness, rows[0].id);
    return artifacts.length === files && artifacts.every((a) => a.status === 'stored') ? rows[0] : null;
  }, `recording ${uuid} stored`);
  return recording.id;
}

export function s3Of(harness: ServiceHarness): S3Client {
  return createS3Client(harness.config, harness.s3.endpoint);
}

export async function objectExists(s3: S3Client, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

export async function objectTags(s3: S3Client, key: string): Promise<Record<string, string>> {
  const out = await s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: key }));
  return Object.fromEntries((out.TagSet ?? []).map((t) => [t.Key!, t.Value!]));
}

/**
 * Rows and objects straight into the database and bucket (no Zoom): `perRecording` stored artifacts
 * for each of `recordings` unmatched recordings, all expired a day before `expiredAt`.
 */
export async function seedExpiredArtifacts(
  harness: ServiceHarness,
  s3: S3Client,
  opts: { recordings: number; perRecording: number; expiredAt?: Date },
): Promise<Array<{ id: string; key: string }>> {
  const expiresAt = new Date((opts.expiredAt ?? new Date()).getTime() - DAY_MS);
  const seeded: Array<{ id: string; key: string }> = [];
  for (let r = 0; r < opts.recordings; r += 1) {
    const prefix = `r/${randomBytes(16).toString('hex')}`;
    const [recording] = await harness.query<{ id: string }>(
      `INSERT INTO recordings (zoom_meeting_uuid, zoom_meeting_id, policy_profile, started_at, status, storage_prefix)
       VALUES ($1, '81234567890', 'tutoring', $2, 'archived', $3) RETURNING id`,
      [`seed-${randomBytes(8).toString('hex')}`, new Date(expiresAt.getTime() - 30 * DAY_MS), prefix],
    );
    for (let i = 0; i < opts.perRecording; i += 1) {
      const key = `${prefix}/${randomBytes(12).toString('hex')}.m4a`;
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: randomBytes(64), ContentType: 'audio/mp4' }));
      const [artifact] = await harness.query<{ id: string }>(
        `INSERT INTO artifacts (recording_id, kind, zoom_file_key, storage_key, content_type, status, size_bytes, stored_at,
           expires_at, retention_class, policy_profile, policy_version, retention_anchor_at)
         VALUES ($1, 'audio', $2, $3, 'audio/mp4', 'stored', 64, $4, $5, 'media', 'tutoring', 1, $4) RETURNING id`,
        [recording.id, `seed-${i}`, key, new Date(expiresAt.getTime() - 30 * DAY_MS), expiresAt],
      );
      seeded.push({ id: artifact.id, key });
    }
  }
  return seeded;
}

/**
 * The built CLI as a child process with the suite's environment (`node scripts/build.js` first).
 * Asynchronous: the suite's own process serves the embedded S3 the CLI talks to.
 */
export function runCli(harness: ServiceHarness, args: string[], timeoutMs = 60_000): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.resolve(__dirname, '../../dist/apps/cli/src/main.js'), ...args], {
      env: { ...process.env, ...harness.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

export function buildDist(): void {
  const out = spawnSync(process.execPath, [path.resolve(__dirname, '../../scripts/build.js'), '--quiet'], { stdio: 'inherit', timeout: 180_000 });
  if (out.status !== 0) throw new Error('build failed');
}

/**
 * Counts, per key, the objects the embedded S3 server really removed (it removes only keys that
 * exist). Every process of the suite joins this one server, so this sees all their deletions.
 */
export function countDeletions(harness: ServiceHarness): Map<string, number> {
  const store = (harness.s3 as unknown as { server: { store: { deleteObject(bucket: string, key: string): Promise<void> } } }).server.store;
  const counts = new Map<string, number>();
  const original = store.deleteObject.bind(store);
  store.deleteObject = async (bucket: string, key: string) => {
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return original(bucket, key);
  };
  return counts;
}
