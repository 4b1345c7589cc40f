import { Injectable, Logger } from '@nestjs/common';
import { Sql, Transactions } from '@lib/database';
import { Clock } from '@lib/clock';
import { DownloadTokenExpired } from './ingest-errors';
import { tokenExpiry, ZoomClient } from './zoom-client';
import { zoomFileKey } from './zoom-delivery';

/**
 * Download tokens live 24 hours and events can arrive late. When Zoom API credentials are
 * configured, fresh links and a fresh token come from `GET /meetings/{uuid}/recordings`;
 * otherwise the file fails with that reason.
 */
@Injectable()
export class LinkRenewal {
  private readonly logger = new Logger(LinkRenewal.name);

  constructor(
    private readonly sql: Sql,
    private readonly transactions: Transactions,
    private readonly zoom: ZoomClient,
    private readonly clock: Clock,
  ) {}

  tokenExpired(token: string | null): boolean {
    if (!token) return false;
    const exp = tokenExpiry(token);
    return exp !== null && exp * 1000 <= this.clock.now().getTime();
  }

  async renewOrFail(recordingId: string, meetingUuid: string): Promise<void> {
    if (!this.zoom.isConfigured()) {
      throw new DownloadTokenExpired('download token expired or refused, and no Zoom API credentials are configured to renew it');
    }
    await this.renew(recordingId, meetingUuid);
  }

  async renewIfPossible(recordingId: string, meetingUuid: string): Promise<void> {
    if (this.zoom.isConfigured()) await this.renew(recordingId, meetingUuid);
  }

  private async renew(recordingId: string, meetingUuid: string): Promise<void> {
    const links = await this.zoom.recordingLinks(meetingUuid);
    await this.transactions.run(async () => {
      if (links.downloadToken) {
        await this.sql.rows('UPDATE recordings SET download_token = $2, updated_at = now() WHERE id = $1', [recordingId, links.downloadToken]);
      }
      for (const file of links.files) {
        await this.sql.rows(
          `UPDATE artifacts SET source_url = $3, zoom_file_status = COALESCE($4, zoom_file_status),
             expected_size = COALESCE(expected_size, $5), updated_at = now()
           WHERE recording_id = $1 AND zoom_file_key = $2 AND status = 'pending'`,
          [recordingId, zoomFileKey(file), file.download_url, file.status ?? null, file.file_size ?? null],
        );
      }
    });
    this.logger.log(`recording ${recordingId}: download links renewed through the Zoom API`);
  }
}
