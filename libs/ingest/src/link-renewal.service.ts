import { Injectable, Logger } from '@nestjs/common';
import { Transactions } from '@lib/database';
import { Clock } from '@lib/clock';
import { DownloadTokenExpired } from './ingest-errors';
import { RecordingRepository } from './recording.repository';
import { tokenExpiry, ZoomClient } from './zoom-client';
import { ZoomArtifactRepository } from './zoom-artifact.repository';
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
    private readonly recordings: RecordingRepository,
    private readonly artifacts: ZoomArtifactRepository,
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
        await this.recordings.replaceDownloadToken(recordingId, links.downloadToken);
      }
      for (const file of links.files) {
        await this.artifacts.renewLink(recordingId, zoomFileKey(file), file.download_url, file.status ?? null, file.file_size ?? null);
      }
    });
    this.logger.log(`recording ${recordingId}: download links renewed through the Zoom API`);
  }
}
