import { Injectable } from '@nestjs/common';
import { JobContext, JobProcessor } from '@lib/jobs';
import { ExportBuilder } from '@lib/research';

@Injectable()
export class BuildExportProcessor implements JobProcessor<'build-export'> {
  readonly jobName = 'build-export' as const;
  constructor(private readonly builder: ExportBuilder) {}

  handle({ exportId }: { exportId: string }, context: JobContext): Promise<void> {
    return this.builder.build(exportId, context);
  }
}
