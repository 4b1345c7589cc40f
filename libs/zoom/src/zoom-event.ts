/** The parts of Zoom's recording webhooks we rely on (see shared/ZOOM.md). */
export interface ZoomRecordingFile {
  id?: string;
  meeting_id?: string;
  recording_start?: string;
  recording_end?: string;
  file_type: string;
  file_extension?: string;
  file_size?: number;
  download_url: string;
  play_url?: string;
  status?: string;
  recording_type?: string;
}

export interface ZoomParticipantAudioFile {
  id?: string;
  recording_start?: string;
  recording_end?: string;
  file_name?: string;
  file_type: string;
  file_extension?: string;
  file_size?: number;
  download_url: string;
  status?: string;
}

export interface ZoomRecordingObject {
  uuid: string;
  id: number | string;
  account_id?: string;
  host_id?: string;
  host_email?: string;
  topic?: string;
  type?: number;
  start_time: string;
  timezone?: string;
  duration?: number;
  total_size?: number;
  recording_count?: number;
  share_url?: string;
  recording_files?: ZoomRecordingFile[];
  participant_audio_files?: ZoomParticipantAudioFile[];
}

export interface ZoomRecordingEvent {
  event: 'recording.completed' | 'recording.transcript_completed';
  event_ts: number;
  download_token?: string;
  payload: { account_id?: string; object: ZoomRecordingObject };
}

export interface ZoomCloudChangeEvent {
  event: 'recording.trashed' | 'recording.deleted' | 'recording.recovered';
  event_ts: number;
  payload: { account_id?: string; operator?: string; operator_id?: string; object: { uuid: string; id?: number | string } };
}

export interface ZoomUrlValidationEvent {
  event: 'endpoint.url_validation';
  event_ts?: number;
  payload: { plainToken: string };
}

export type ZoomEvent = ZoomRecordingEvent | ZoomCloudChangeEvent | ZoomUrlValidationEvent;

export const RECORDING_EVENTS = ['recording.completed', 'recording.transcript_completed'] as const;
export const CLOUD_CHANGE_EVENTS = ['recording.trashed', 'recording.deleted', 'recording.recovered'] as const;
