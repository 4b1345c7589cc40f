import { Inject, Injectable, Logger } from '@nestjs/common';
import { Sql, Transactions } from '@lib/database';
import { AuditTrail } from '@lib/audit';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { Clock } from '@lib/clock';
import { ZoomClient } from './zoom-client';

/**
 * With ZOOM_CLOUD_COPY=trash|delete, Zoom's copy goes once every file of the recording is verified
 * in our bucket. The request is noted before the call, so the webhook it causes is recognised.
 */
@Injectable()
export class CloudCopyRemoval {
  private readonly logger = new Logger(CloudCopyRemoval.name);

  constructor(
    private readonly sql: Sql,
    private readonly transactions: Transactions,
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
    const rows: Array<{ zoom_meeting_uuid: string; status: string; unverified: number }> = await this.sql.rows(
      `SELECT r.zoom_meeting_uuid, r.status,
         (SELECT count(*)::int FROM artifacts a WHERE a.recording_id = r.id AND a.zoom_file_key IS NOT NULL
            AND (a.status NOT IN ('stored', 'discarded', 'deleted') OR (a.status = 'stored' AND a.sha256 IS NULL))) AS unverified
       FROM recordings r WHERE r.id = $1`,
      [recordingId],
    );
    const recording = rows[0];
    if (!recording || recording.status !== 'archived' || recording.unverified > 0) return;
    await this.sql.rows(
      `UPDATE recordings SET cloud_copy_action = $2, cloud_copy_requested_at = $3 WHERE id = $1`,
      [recordingId, action, this.clock.now()],
    );
    await this.zoom.removeRecording(recording.zoom_meeting_uuid, action);
    await this.audit.append({
      actorId: 'recording-service',
      action: `zoom.cloud_copy_${action === 'trash' ? 'trash' : 'delete'}_requested`,
      subjectType: 'recording',
      subjectId: recordingId,
    });
  }
}
