import { Injectable } from '@nestjs/common';
import { RecordingIngest } from '@lib/ingest';
import { JobContext, JobPayloads, JobProcessor } from '@lib/jobs';

@Injectable()
export class ProcessDeliveryProcessor implements JobProcessor<'process-delivery'> {
  readonly jobName = 'process-delivery' as const;
  constructor(private readonly ingest: RecordingIngest) {}

  async handle(job: JobPayloads['process-delivery'], context: JobContext): Promise<void> {
    try {
      await this.ingest.processDelivery(job);
    } catch (error) {
      if (context.attemptsMade + 1 >= context.attempts) await this.ingest.markDeliveryFailed(job, error as Error);
      throw error;
    }
  }
}
