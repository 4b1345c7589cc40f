import { ZoomRecordingEvent } from '@lib/zoom';
import { fakeDownloadToken } from './download-token';
import { FakeZoomHost, FileFaults } from './fake-zoom-host';
import { SampleFile, SampleMedia } from './sample-media';
import {
  EventFileSpec,
  randomMeetingId,
  randomMeetingUuid,
  recordingCompletedEvent,
  RecordingEventOptions,
  zoomTime,
} from './zoom-events';

export type SampleArtifact = 'video' | 'audio' | 'transcript' | 'chat' | 'timeline' | 'participantAudio';

/** The files to serve: a generated sample, or any subset of real files (absent ones are left out). */
export type RecordingMedia = Pick<SampleMedia, 'seconds'> &
  Partial<Pick<SampleMedia, 'video' | 'audio' | 'transcript' | 'chat' | 'timeline' | 'participantAudio'>>;

export interface SimulateRecordingOptions extends Omit<Partial<RecordingEventOptions>, 'files' | 'participantAudio'> {
  /** Faults per sample file; `participantAudio` applies to every participant track. */
  faults?: Partial<Record<SampleArtifact, FileFaults>>;
}

/**
 * Serves every sample file from the fake host (accepting the delivery's download token there) and
 * returns the `recording.completed` body Zoom would send for them.
 */
export function simulateRecording(
  host: FakeZoomHost,
  media: RecordingMedia,
  opts: SimulateRecordingOptions = {},
): ZoomRecordingEvent & { download_token: string } {
  const { faults, ...eventOpts } = opts;
  const downloadToken = opts.downloadToken ?? fakeDownloadToken();
  host.acceptToken(downloadToken);
  // By default the meeting ended two minutes ago, as when Zoom has just finished processing it.
  const startMs = opts.startTime ? Date.parse(opts.startTime) : Math.floor(Date.now() / 1000) * 1000 - (media.seconds + 120) * 1000;
  const start = zoomTime(startMs);
  const end = zoomTime(startMs + Math.ceil(media.seconds) * 1000);
  const serve = (artifact: SampleArtifact, path: string, contentType: string) =>
    host.addFile({ path, contentType, faults: faults?.[artifact] });

  const files: EventFileSpec[] = [];
  type Kind = Pick<EventFileSpec, 'fileType' | 'fileExtension' | 'recordingType'>;
  const add = (artifact: SampleArtifact, file: SampleFile | undefined, contentType: string, spec: Kind) => {
    if (!file) return;
    const served = serve(artifact, file.path, contentType);
    files.push({ ...spec, downloadUrl: served.downloadUrl, size: served.size, start, end });
  };
  add('video', media.video, 'video/mp4', { fileType: 'MP4', fileExtension: 'MP4', recordingType: 'shared_screen_with_speaker_view' });
  add('audio', media.audio, 'audio/mp4', { fileType: 'M4A', fileExtension: 'M4A', recordingType: 'audio_only' });
  add('transcript', media.transcript, 'text/vtt', { fileType: 'TRANSCRIPT', fileExtension: 'VTT', recordingType: 'audio_transcript' });
  add('chat', media.chat, 'text/plain', { fileType: 'CHAT', fileExtension: 'TXT', recordingType: 'chat_file' });
  if (media.timeline) {
    // Real TIMELINE entries carry no id, status, file_size or recording_type.
    const timeline = serve('timeline', media.timeline.path, 'application/json');
    files.push({ fileType: 'TIMELINE', fileExtension: 'JSON', downloadUrl: timeline.downloadUrl, start, end });
  }

  const participantAudio = (media.participantAudio ?? []).map((track) => {
    const served = serve('participantAudio', track.path, 'audio/mp4');
    return { displayName: track.displayName, downloadUrl: served.downloadUrl, size: served.size, start, end };
  });

  return recordingCompletedEvent({
    ...eventOpts,
    uuid: opts.uuid ?? randomMeetingUuid(),
    meetingId: opts.meetingId ?? randomMeetingId(),
    startTime: start,
    durationMinutes: opts.durationMinutes ?? Math.max(1, Math.ceil(media.seconds / 60)),
    downloadToken,
    files,
    participantAudio: participantAudio.length > 0 ? participantAudio : undefined,
  });
}
