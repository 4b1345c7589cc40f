import type { ArtifactKind } from '@lib/database';
import { zoomFileKey } from './zoom-delivery';
import { ZoomParticipantAudioFile, ZoomRecordingObject } from '@lib/zoom';

/** What one Zoom file becomes: exactly one artifact (CONTRACT "Artifacts"). */
export interface PlannedArtifact {
  zoomFileKey: string;
  kind: ArtifactKind;
  zoomFileType: string;
  zoomRecordingType: string | null;
  zoomFileStatus: string | null;
  fileExtension: string | null;
  contentType: string;
  expectedSize: number | null;
  sourceUrl: string;
  recordingStart: Date | null;
  recordingEnd: Date | null;
  /** Per-participant audio: the display name from the file name, used only to match a person. */
  participantLabel: string | null;
}

const KIND_BY_FILE_TYPE: Record<string, ArtifactKind> = {
  MP4: 'video',
  M4A: 'audio',
  TRANSCRIPT: 'transcript',
  CC: 'transcript',
  CHAT: 'chat',
  TIMELINE: 'timeline',
};

const CONTENT_TYPE_BY_KIND: Partial<Record<ArtifactKind, string>> = {
  video: 'video/mp4',
  audio: 'audio/mp4',
  participant_audio: 'audio/mp4',
  transcript: 'text/vtt',
  chat: 'text/plain',
  timeline: 'application/json',
};

const PARTICIPANT_PREFIX = /^\s*audio only\s*-\s*/i;

function time(value: string | undefined): Date | null {
  if (!value) return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

export function artifactKindFor(fileType: string): ArtifactKind {
  return KIND_BY_FILE_TYPE[fileType.toUpperCase()] ?? 'other';
}

export function contentTypeFor(kind: ArtifactKind, fileExtension: string | null): string {
  if (kind === 'other' && fileExtension) {
    const ext = fileExtension.toUpperCase();
    if (ext === 'CSV') return 'text/csv';
    if (ext === 'JSON') return 'application/json';
    if (ext === 'TXT' || ext === 'VTT') return 'text/plain';
  }
  return CONTENT_TYPE_BY_KIND[kind] ?? 'application/octet-stream';
}

/** The display name behind Zoom's fixed prefix ("Audio only - Elisa L" → "Elisa L"). */
export function participantLabel(file: ZoomParticipantAudioFile): string | null {
  const name = file.file_name?.replace(PARTICIPANT_PREFIX, '').trim();
  return name ? name : null;
}

export function planArtifacts(object: ZoomRecordingObject): PlannedArtifact[] {
  const planned: PlannedArtifact[] = [];
  for (const file of object.recording_files ?? []) {
    const kind = artifactKindFor(file.file_type);
    const ext = file.file_extension ?? null;
    planned.push({
      zoomFileKey: zoomFileKey(file),
      kind,
      zoomFileType: file.file_type,
      zoomRecordingType: file.recording_type ?? null,
      zoomFileStatus: file.status ?? null,
      fileExtension: ext,
      contentType: contentTypeFor(kind, ext),
      expectedSize: file.file_size ?? null,
      sourceUrl: file.download_url,
      recordingStart: time(file.recording_start),
      recordingEnd: time(file.recording_end),
      participantLabel: null,
    });
  }
  for (const file of object.participant_audio_files ?? []) {
    planned.push({
      zoomFileKey: zoomFileKey(file),
      kind: 'participant_audio',
      zoomFileType: file.file_type,
      zoomRecordingType: 'participant_audio',
      zoomFileStatus: file.status ?? null,
      fileExtension: file.file_extension ?? null,
      contentType: contentTypeFor('participant_audio', null),
      expectedSize: file.file_size ?? null,
      sourceUrl: file.download_url,
      recordingStart: time(file.recording_start),
      recordingEnd: time(file.recording_end),
      participantLabel: participantLabel(file),
    });
  }
  return planned;
}

export const MEDIA_KINDS: readonly ArtifactKind[] = ['video', 'audio', 'participant_audio'];
/** What talk-time and safety analysis reads (libs/analytics): storing one queues the recording's analysis. */
export const ANALYSED_KINDS: readonly ArtifactKind[] = ['transcript', 'chat', 'timeline', 'participant_audio'];
