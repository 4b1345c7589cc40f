import { Injectable } from '@nestjs/common';
import { CloudCopyRemoval } from '@lib/ingest';
import { JobProcessor } from '@lib/jobs';

@Injectable()
export class RemoveCloudCopyProcessor implements JobProcessor<'remove-cloud-copy'> {
  readonly jobName = 'remove-cloud-copy' as const;
  constructor(private readonly cloudCopy: CloudCopyRemoval) {}

  handle({ recordingId }: { recordingId: string }): Promise<void> {
    return this.cloudCopy.remove(recordingId);
  }
}
