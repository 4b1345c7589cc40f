import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { FakeZoomApi, FakeZoomHost, RecordingMedia, sendWebhook, simulateRecording, SimulateRecordingOptions } from '@lib/zoom-simulator';
import { Answer, call, PLATFORM } from './api-client';
import { BUCKET } from './bucket';
import { ServiceHarness, ZOOM_SECRET } from './harness';
import { waitFor } from './wait';

/** What suites build and send: sessions, consents, Zoom deliveries, and rows seeded straight into the database. */

export const DAY_MS = 24 * 3600_000;

/**
 * A session of the sample roster (display names match the sample media's participants): tutor
 * `tutor-<id>`, two minors `elisa-<id>` and `tom-<id>`, and `parent-<id>`, Elisa's parent.
 */
export function sessionBody(id: string, overrides: Record<string, unknown> = {}) {
  return {
    zoomMeetingId: '81234567890',
    startsAt: new Date().toISOString(),
    program: 'gcse-maths',
    policyProfile: 'tutoring',
    tutor: { personId: `tutor-${id}`, displayName: 'Ms Rivera', email: 'ms.rivera@tutoring.example' },
    learners: [
      { personId: `elisa-${id}`, displayName: 'Elisa L', email: 'elisa.l@example.com', minor: true },
      { personId: `tom-${id}`, displayName: 'Tom K', minor: true },
    ],
    parents: [{ personId: `parent-${id}`, displayName: 'Ana Lopez', children: [`elisa-${id}`] }],
    ...overrides,
  };
}

/** Registers (or updates) a session of the sample roster as the platform does. */
export async function registerSession(harness: ServiceHarness, id: string, overrides: Record<string, unknown> = {}): Promise<void> {
  const res = await call(harness, 'PUT', `/v1/sessions/${id}`, { ...PLATFORM, json: sessionBody(id, overrides) });
  if (res.status !== 201 && res.status !== 200) throw new Error(`session ${id}: ${res.status} ${JSON.stringify(res.body)}`);
}

export function recordConsent(harness: ServiceHarness, personId: string, body: Record<string, unknown>): Promise<Answer> {
  return call(harness, 'POST', `/v1/people/${personId}/consents`, { ...PLATFORM, json: body });
}

/** The service's environment for downloads from the fake Zoom host. */
export function zoomHostEnv(host: FakeZoomHost): Record<string, string> {
  return { ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(',') };
}

/** The service's environment for the fake Zoom REST API (cloud copy, recovery). */
export function zoomApiEnv(api: FakeZoomApi): Record<string, string> {
  return {
    ZOOM_API_BASE_URL: api.apiBaseUrl,
    ZOOM_OAUTH_TOKEN_URL: api.tokenUrl,
    ZOOM_ACCOUNT_ID: api.credentials.accountId,
    ZOOM_CLIENT_ID: api.credentials.clientId,
    ZOOM_CLIENT_SECRET: api.credentials.clientSecret,
  };
}

/** Zoom's rule for a uuid in an API path: encoded once, or twice when it starts with `/` or holds `//`. */
export function zoomPathSegment(uuid: string): string {
  const once = encodeURIComponent(uuid);
  return uuid.startsWith('/') || uuid.includes('//') ? encodeURIComponent(once) : once;
}

/** Sends a webhook body signed with the suite's secret; anything but 200 is an error. */
export async function sendDelivery(harness: ServiceHarness, body: object): Promise<void> {
  const answer = await sendWebhook(`${harness.baseUrl}/webhooks/zoom`, ZOOM_SECRET, body);
  if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}: ${answer.body}`);
}

type Delivered = { id: string; body: ReturnType<typeof simulateRecording> };

/** Delivers a simulated recording (files of `media` only) and waits until no file of it is pending any more. */
export async function deliverRecording(harness: ServiceHarness, host: FakeZoomHost, media: RecordingMedia, opts: SimulateRecordingOptions): Promise<Delivered> {
  const body = simulateRecording(host, media, opts);
  await sendDelivery(harness, body);
  const uuid = body.payload.object.uuid;
  const recording = await waitFor(
    async () => {
      const [r] = await harness.query<{ id: string; status: string }>('SELECT id, status FROM recordings WHERE zoom_meeting_uuid = $1', [uuid]);
      if (!r || r.status === 'archiving') return null;
      const pending = await harness.query("SELECT 1 FROM artifacts WHERE recording_id = $1 AND status = 'pending'", [r.id]);
      return pending.length === 0 ? r : null;
    },
    `recording ${uuid} archived`,
    45_000,
  );
  return { id: recording.id, body };
}

/**
 * Delivers a simulated recording and waits only until its artifacts exist (some may stay pending,
 * e.g. a download the fake host holds with a stall fault).
 */
export async function sendRecording(harness: ServiceHarness, host: FakeZoomHost, media: RecordingMedia, opts: SimulateRecordingOptions): Promise<Delivered> {
  const body = simulateRecording(host, media, opts);
  await sendDelivery(harness, body);
  const uuid = body.payload.object.uuid;
  const recording = await waitFor(
    async () => {
      const [r] = await harness.query<{ id: string }>(
        'SELECT r.id FROM recordings r WHERE r.zoom_meeting_uuid = $1 AND EXISTS (SELECT 1 FROM artifacts a WHERE a.recording_id = r.id)',
        [uuid],
      );
      return r ?? null;
    },
    `recording ${uuid} announced`,
    45_000,
  );
  return { id: recording.id, body };
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
