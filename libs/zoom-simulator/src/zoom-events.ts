import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import {
  ZoomCloudChangeEvent,
  ZoomParticipantAudioFile,
  ZoomRecordingEvent,
  ZoomRecordingFile,
  ZoomUrlValidationEvent,
  zoomSignature,
} from '@lib/zoom';

export interface EventFileSpec {
  id?: string;
  fileType: string;
  fileExtension: string;
  recordingType?: string;
  downloadUrl: string;
  size?: number;
  status?: string;
  /** ISO-8601; default the meeting's start and end. */
  start?: string;
  end?: string;
}

export interface ParticipantAudioSpec {
  id?: string;
  displayName: string;
  downloadUrl: string;
  size: number;
  start?: string;
  end?: string;
}

export interface RecordingEventOptions {
  uuid?: string;
  meetingId?: number | string;
  startTime?: string;
  durationMinutes?: number;
  type?: number;
  hostId?: string;
  hostEmail?: string;
  accountId?: string;
  topic?: string;
  timezone?: string;
  eventTs?: number;
  downloadToken: string;
  files: EventFileSpec[];
  participantAudio?: ParticipantAudioSpec[];
}

/** Zoom-looking meeting instance uuid: 16 random bytes in base64, so it may start with '/' or hold '//'. */
export function randomMeetingUuid(): string {
  return randomBytes(16).toString('base64');
}

/** An 11-digit meeting number. */
export function randomMeetingId(): number {
  return randomInt(80_000_000_000, 99_999_999_999);
}

/** ISO-8601 UTC without milliseconds, as Zoom writes timestamps. */
export function zoomTime(at: Date | number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** CC and TIMELINE entries arrive without id, status, file_size and recording_type unless given. */
const BARE_TYPES = new Set(['CC', 'TIMELINE']);
const PLAYABLE_TYPES = new Set(['MP4', 'M4A']);

export function recordingCompletedEvent(opts: RecordingEventOptions): ZoomRecordingEvent & { download_token: string } {
  return recordingEvent('recording.completed', opts);
}

/** The later event that carries only the audio transcript once it is ready. */
export function transcriptCompletedEvent(opts: RecordingEventOptions): ZoomRecordingEvent & { download_token: string } {
  return recordingEvent('recording.transcript_completed', { ...opts, participantAudio: undefined });
}

function recordingEvent(
  event: ZoomRecordingEvent['event'],
  opts: RecordingEventOptions,
): ZoomRecordingEvent & { download_token: string } {
  const uuid = opts.uuid ?? randomMeetingUuid();
  const startTime = opts.startTime ?? zoomTime(Date.now() - 3_600_000);
  const duration = opts.durationMinutes ?? 60;
  const endTime = zoomTime(Date.parse(startTime) + Math.max(duration, 1) * 60_000);
  const accountId = opts.accountId ?? 'sim-account';
  const origin = opts.files[0] ? new URL(opts.files[0].downloadUrl).origin : 'https://zoom.us';

  const recordingFiles = opts.files.map((f): ZoomRecordingFile => {
    const bare = BARE_TYPES.has(f.fileType);
    return compact({
      id: f.id ?? (bare ? undefined : randomUUID()),
      meeting_id: uuid,
      recording_start: f.start ?? startTime,
      recording_end: f.end ?? endTime,
      file_type: f.fileType,
      file_extension: f.fileExtension,
      file_size: f.size,
      play_url: PLAYABLE_TYPES.has(f.fileType) ? f.downloadUrl.replace('/rec/download/', '/rec/play/') : undefined,
      download_url: f.downloadUrl,
      status: f.status ?? (bare ? undefined : 'completed'),
      recording_type: f.recordingType,
    });
  });
  const participantAudio = opts.participantAudio?.map(
    (p): ZoomParticipantAudioFile => ({
      id: p.id ?? randomUUID(),
      recording_start: p.start ?? startTime,
      recording_end: p.end ?? endTime,
      file_name: `Audio only - ${p.displayName}`,
      file_type: 'M4A',
      file_extension: 'M4A',
      file_size: p.size,
      download_url: p.downloadUrl,
      status: 'completed',
    }),
  );
  return {
    event,
    event_ts: opts.eventTs ?? Date.now(),
    payload: {
      account_id: accountId,
      object: compact({
        uuid,
        id: opts.meetingId ?? randomMeetingId(),
        account_id: accountId,
        host_id: opts.hostId ?? 'z8yBXksmRYuTJxqtK0RsDQ',
        host_email: opts.hostEmail ?? 'ms.rivera@tutoring.example',
        topic: opts.topic ?? 'Maths tutoring',
        type: opts.type ?? 2,
        start_time: startTime,
        timezone: opts.timezone ?? 'UTC',
        duration,
        total_size: recordingFiles.reduce((sum, f) => sum + (f.file_size ?? 0), 0),
        recording_count: recordingFiles.length,
        share_url: `${origin}/rec/share/${randomBytes(24).toString('base64url')}`,
        recording_files: recordingFiles,
        participant_audio_files: participantAudio,
      }),
    },
    download_token: opts.downloadToken,
  };
}

export function cloudChangeEvent(
  event: ZoomCloudChangeEvent['event'],
  uuid: string,
  operatorId: string,
  opts: { meetingId?: number | string; accountId?: string; operator?: string; eventTs?: number } = {},
): ZoomCloudChangeEvent {
  return {
    event,
    event_ts: opts.eventTs ?? Date.now(),
    payload: {
      account_id: opts.accountId ?? 'sim-account',
      operator: opts.operator ?? 'archiver@tutoring.example',
      operator_id: operatorId,
      object: compact({ uuid, id: opts.meetingId }),
    },
  };
}

export function urlValidationEvent(plainToken: string, eventTs = Date.now()): ZoomUrlValidationEvent {
  return { event: 'endpoint.url_validation', event_ts: eventTs, payload: { plainToken } };
}

/** Headers of one delivery; the tracking id is fresh each time, as Zoom's is (even for retries). */
export function signedHeaders(secret: string, rawBody: string, timestampSeconds: number): Record<string, string> {
  const timestamp = String(timestampSeconds);
  return {
    'content-type': 'application/json',
    'x-zm-request-timestamp': timestamp,
    'x-zm-signature': zoomSignature(secret, timestamp, rawBody),
    'x-zm-trackingid': `v=2.0;clid=us06;rid=WEB_${randomBytes(16).toString('hex')}`,
  };
}

export async function sendWebhook(
  url: string,
  secret: string,
  body: object,
  opts: { timestampSeconds?: number } = {},
): Promise<{ status: number; body: string }> {
  const rawBody = JSON.stringify(body);
  const timestamp = opts.timestampSeconds ?? Math.floor(Date.now() / 1000);
  const res = await fetch(url, { method: 'POST', headers: signedHeaders(secret, rawBody, timestamp), body: rawBody });
  return { status: res.status, body: await res.text() };
}

/** Drops undefined fields, so absent means absent in the JSON (as in Zoom's bodies). */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
