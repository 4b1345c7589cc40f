import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { Clock } from '@lib/clock';
import { ObjectStore } from './object-store';

/** Aborts multipart uploads that were started more than a day ago and never completed. */
@Injectable()
export class IncompleteUploadSweeper {
  private readonly logger = new Logger(IncompleteUploadSweeper.name);

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async sweep(): Promise<number> {
    const cutoff = this.clock.now().getTime() - this.config.archive.incompleteUploadMaxAgeHours * 3_600_000;
    const stale = (await this.store.listIncompleteUploads()).filter((u) => u.initiatedAt.getTime() < cutoff);
    for (const upload of stale) await this.store.abortUpload(upload);
    if (stale.length > 0) this.logger.log(`aborted ${stale.length} incomplete multipart upload(s)`);
    return stale.length;
  }
}
