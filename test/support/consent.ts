import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { FakeZoomHost, RecordingMedia, sendWebhook, simulateRecording, SimulateRecordingOptions } from '@lib/zoom-simulator';
import { ServiceHarness, ZOOM_SECRET } from './harness';
import { waitFor } from './wait';

/** Shared steps of the consent, opt-out, erasure and uploads suites. */

export interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function call(
  harness: ServiceHarness,
  method: string,
  pathname: string,
  opts: { roles?: string[]; sub?: string; json?: unknown; raw?: Buffer; contentType?: string; token?: string | null } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  const token = opts.token === undefined ? await harness.token(opts.roles ?? ['admin'], opts.sub ?? 'person-admin') : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | Buffer | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.raw !== undefined) {
    headers['content-type'] = opts.contentType ?? 'application/octet-stream';
    body = opts.raw;
  }
  const res = await fetch(`${harness.baseUrl}${pathname}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed };
}

/** A session of the sample roster (display names match the sample media): a tutor, two minors, Elisa's parent. */
export function sessionBody(id: string, zoomMeetingId: string, startsAt: string) {
  return {
    zoomMeetingId,
    startsAt,
    program: 'gcse-maths',
    policyProfile: 'tutoring',
    tutor: { personId: `tutor-${id}`, displayName: 'Ms Rivera', email: 'ms.rivera@tutoring.example' },
    learners: [
      { personId: `elisa-${id}`, displayName: 'Elisa L', email: 'elisa.l@example.com', minor: true },
      { personId: `tom-${id}`, displayName: 'Tom K', minor: true },
    ],
    parents: [{ personId: `parent-${id}`, displayName: 'Ana Lopez', children: [`elisa-${id}`] }],
  };
}

export async function registerSession(harness: ServiceHarness, id: string, zoomMeetingId: string, startsAt: string): Promise<void> {
  const res = await call(harness, 'PUT', `/v1/sessions/${id}`, { roles: ['platform'], sub: 'platform-service', json: sessionBody(id, zoomMeetingId, startsAt) });
  if (res.status !== 201 && res.status !== 200) throw new Error(`session ${id}: ${res.status} ${JSON.stringify(res.body)}`);
}

export async function recordConsent(harness: ServiceHarness, personId: string, body: Record<string, unknown>): Promise<Answer> {
  return call(harness, 'POST', `/v1/people/${personId}/consents`, { roles: ['platform'], sub: 'platform-service', json: body });
}

export interface ArtifactRow {
  id: string;
  kind: string;
  status: string;
  storage_key: string;
  zoom_file_key: string | null;
  derived_from: string | null;
  reason: string | null;
  person_id: string | null;
  size_bytes: string | null;
  sha256: string | null;
  media_info: { streams: Array<{ type: string; codec: string | null }> } | null;
}

export const artifactsOf = (harness: ServiceHarness, recordingId: string) =>
  harness.query<ArtifactRow>(
    `SELECT id, kind, status, storage_key, zoom_file_key, derived_from, reason, person_id, size_bytes, sha256, media_info
     FROM artifacts WHERE recording_id = $1 ORDER BY kind, created_at, id`,
    [recordingId],
  );

/** Delivers a simulated recording and waits until no file of it is pending any more. */
export async function deliverRecording(
  harness: ServiceHarness,
  host: FakeZoomHost,
  media: RecordingMedia,
  opts: SimulateRecordingOptions,
): Promise<{ id: string; body: ReturnType<typeof simulateRecording> }> {
  const body = simulateRecording(host, media, opts);
  const res = await sendWebhook(`${harness.baseUrl}/webhooks/zoom`, ZOOM_SECRET, body);
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
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
export async function sendRecording(
  harness: ServiceHarness,
  host: FakeZoomHost,
  media: RecordingMedia,
  opts: SimulateRecordingOptions,
): Promise<{ id: string; body: ReturnType<typeof simulateRecording> }> {
  const body = simulateRecording(host, media, opts);
  const res = await sendWebhook(`${harness.baseUrl}/webhooks/zoom`, ZOOM_SECRET, body);
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
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

/** The download keys of the fake Zoom host a delivery's file was served under. */
export function hostKeyOf(downloadUrl: string): string {
  return FakeZoomHost.keyOf(downloadUrl);
}

/**
 * The bucket as s3rver keeps it on disk: every object, and every unfinished multipart upload (by
 * the key it is for). Reading the folder, not the API, shows what was ever written there.
 */
export async function bucketFolderKeys(s3Dir: string, bucket = 'recordings'): Promise<string[]> {
  const root = path.join(s3Dir, bucket);
  const keys = new Set<string>();
  let entries: string[];
  try {
    entries = (await readdir(root, { recursive: true })) as string[];
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (entry.endsWith('._S3rver_object')) keys.add(entry.slice(0, -'._S3rver_object'.length).split(path.sep).join('/'));
    else if (entry.startsWith('._S3rver_uploads') && entry.endsWith(`${path.sep}key`)) {
      keys.add((await readFile(path.join(root, entry)).catch(() => Buffer.from(''))).toString());
    }
  }
  keys.delete('');
  return [...keys].sort();
}

/** Watches the bucket folder while something runs: every key that ever appears, even briefly. */
export class BucketWatch {
  readonly seen = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private scanning: Promise<void> = Promise.resolve();

  constructor(private readonly s3Dir: string) {}

  start(): this {
    this.timer = setInterval(() => {
      this.scanning = this.scanning.then(async () => {
        for (const key of await bucketFolderKeys(this.s3Dir)) this.seen.add(key);
      });
    }, 15);
    return this;
  }

  async stop(): Promise<Set<string>> {
    if (this.timer) clearInterval(this.timer);
    await this.scanning;
    for (const key of await bucketFolderKeys(this.s3Dir)) this.seen.add(key);
    return this.seen;
  }
}
