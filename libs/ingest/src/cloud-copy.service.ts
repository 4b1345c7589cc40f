import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditTrail } from '@lib/audit';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { Clock } from '@lib/clock';
import { RecordingRepository } from './recording.repository';
import { ZoomClient } from './zoom-client';

/**
 * With ZOOM_CLOUD_COPY=trash|delete, Zoom's copy goes once every file of the recording is verified
 * in our bucket. The request is noted before the call, so the webhook it causes is recognised.
 */
@Injectable()
export class CloudCopyRemoval {
  private readonly logger = new Logger(CloudCopyRemoval.name);

  constructor(
    private readonly recordings: RecordingRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly zoom: ZoomClient,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async remove(recordingId: string): Promise<void> {
    const action = this.config.zoom.cloudCopy;
    if (action === 'keep') return;
    if (!this.zoom.isConfigured()) {
      this.logger.warn(`ZOOM_CLOUD_COPY=${action} but no Zoom API credentials are configured; Zoom's copy stays`);
      return;
    }
    const recording = await this.recordings.cloudCopyCandidate(recordingId);
    if (!recording || recording.status !== 'archived' || recording.unverified > 0) return;
    await this.recordings.markCloudCopyRequested(recordingId, action, this.clock.now());
    await this.zoom.removeRecording(recording.zoomMeetingUuid, action);
    await this.audit.append({
      actorId: 'recording-service',
      action: `zoom.cloud_copy_${action === 'trash' ? 'trash' : 'delete'}_requested`,
      subjectType: 'recording',
      subjectId: recordingId,
    });
  }
}
