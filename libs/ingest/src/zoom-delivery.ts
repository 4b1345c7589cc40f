import { createHash } from 'node:crypto';
import { MalformedDelivery } from './ingest-errors';
import {
  CLOUD_CHANGE_EVENTS,
  RECORDING_EVENTS,
  ZoomCloudChangeEvent,
  ZoomParticipantAudioFile,
  ZoomRecordingEvent,
  ZoomRecordingFile,
} from '@lib/zoom';

export type ParsedDelivery =
  | { kind: 'url_validation'; plainToken: string }
  | { kind: 'recording'; event: ZoomRecordingEvent }
  | { kind: 'cloud_change'; event: ZoomCloudChangeEvent }
  | { kind: 'unknown'; eventName: string };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function need(condition: boolean, reason: string): asserts condition {
  if (!condition) throw new MalformedDelivery(reason);
}

function isIsoTime(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 40 && !Number.isNaN(Date.parse(value));
}

function checkFile(file: unknown, where: string): void {
  need(isObject(file), `${where} is not an object`);
  need(typeof file.file_type === 'string' && file.file_type.length > 0 && file.file_type.length <= 40, `${where}.file_type is missing`);
  need(typeof file.download_url === 'string' && file.download_url.length <= 4096, `${where}.download_url is missing`);
  need(file.id === undefined || (typeof file.id === 'string' && file.id.length <= 200), `${where}.id is not a string`);
  need(
    file.file_size === undefined || (typeof file.file_size === 'number' && file.file_size >= 0 && Number.isSafeInteger(file.file_size)),
    `${where}.file_size is not a byte count`,
  );
  need(file.recording_start === undefined || file.recording_start === '' || isIsoTime(file.recording_start), `${where}.recording_start is not a time`);
}

/**
 * Validates a delivery's shape (ZOOM.md) and sorts it into what we do with it. Only the fields we
 * rely on are checked; Zoom adds fields freely.
 */
export function parseDelivery(body: unknown): ParsedDelivery {
  need(isObject(body), 'body is not a JSON object');
  need(typeof body.event === 'string' && body.event.length > 0 && body.event.length <= 100, 'event is missing');
  const payload = body.payload;
  if (body.event === 'endpoint.url_validation') {
    need(isObject(payload) && typeof payload.plainToken === 'string', 'payload.plainToken is missing');
    need(payload.plainToken.length > 0 && payload.plainToken.length <= 512, 'payload.plainToken has an unusual length');
    return { kind: 'url_validation', plainToken: payload.plainToken };
  }
  const known = [...RECORDING_EVENTS, ...CLOUD_CHANGE_EVENTS] as readonly string[];
  if (!known.includes(body.event)) return { kind: 'unknown', eventName: body.event };

  need(isObject(payload) && isObject(payload.object), 'payload.object is missing');
  const object = payload.object;
  need(typeof object.uuid === 'string' && object.uuid.length > 0 && object.uuid.length <= 200, 'payload.object.uuid is missing');
  if ((CLOUD_CHANGE_EVENTS as readonly string[]).includes(body.event)) {
    return { kind: 'cloud_change', event: body as unknown as ZoomCloudChangeEvent };
  }
  need(typeof object.id === 'number' || (typeof object.id === 'string' && /^\d{1,20}$/.test(object.id)), 'payload.object.id is not a meeting number');
  need(isIsoTime(object.start_time), 'payload.object.start_time is not a time');
  need(body.download_token === undefined || typeof body.download_token === 'string', 'download_token is not a string');
  const files = object.recording_files ?? [];
  const participantFiles = object.participant_audio_files ?? [];
  need(Array.isArray(files), 'payload.object.recording_files is not a list');
  need(Array.isArray(participantFiles), 'payload.object.participant_audio_files is not a list');
  need(files.length + participantFiles.length <= 500, 'too many files in one delivery');
  files.forEach((f, i) => checkFile(f, `recording_files[${i}]`));
  participantFiles.forEach((f, i) => checkFile(f, `participant_audio_files[${i}]`));
  return { kind: 'recording', event: body as unknown as ZoomRecordingEvent };
}

/** A file's business key: Zoom's file id, or file type + start for entries Zoom sends without one. */
export function zoomFileKey(file: ZoomRecordingFile | ZoomParticipantAudioFile): string {
  return file.id ? file.id : `${file.file_type}@${file.recording_start ?? ''}`;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Retries and genuinely repeated events (which differ only in download_url and download_token)
 * share this key: the event, the meeting instance and its files. Cloud-copy changes are each a
 * distinct happening, told apart by Zoom's event time.
 */
export function dedupeKey(parsed: Exclude<ParsedDelivery, { kind: 'url_validation' }>, rawBody: Buffer): string {
  if (parsed.kind === 'unknown') return `ignored:${sha256(rawBody.toString('latin1'))}`;
  if (parsed.kind === 'cloud_change') {
    return `${parsed.event.event}:${sha256(`${parsed.event.payload.object.uuid}|${parsed.event.event_ts ?? ''}`)}`;
  }
  const object = parsed.event.payload.object;
  const keys = [...(object.recording_files ?? []), ...(object.participant_audio_files ?? [])].map(zoomFileKey).sort();
  return `${parsed.event.event}:${sha256(`${object.uuid}|${keys.join(',')}`)}`;
}

/**
 * Splits the download token (a secret that authorises downloads for a day) off a delivery body:
 * the body is stored, the token only in a column of its own that is cleared once used.
 */
export function splitDownloadToken<T extends object>(event: T): { body: Omit<T, 'download_token'>; downloadToken: string | null } {
  const { download_token: token, ...body } = event as T & { download_token?: unknown };
  return { body, downloadToken: typeof token === 'string' ? token : null };
}
