import { Injectable } from '@nestjs/common';
import { DeliveryBatches, RecordingIngest } from '@lib/ingest';
import { JobContext, JobPayloads, JobProcessor } from '@lib/jobs';

@Injectable()
export class ProcessDeliveryProcessor implements JobProcessor<'process-delivery'> {
  readonly jobName = 'process-delivery' as const;
  constructor(
    private readonly batches: DeliveryBatches,
    private readonly ingest: RecordingIngest,
  ) {}

  async handle(job: JobPayloads['process-delivery'], context: JobContext): Promise<void> {
    try {
      await this.batches.process(job, context.attemptsMade);
    } catch (error) {
      if (context.attemptsMade + 1 >= context.attempts) await this.ingest.markDeliveryFailed(job, error as Error);
      throw error;
    }
  }
}
