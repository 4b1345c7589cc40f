import { Injectable } from '@nestjs/common';
import { JobContext, JobProcessor } from '@lib/jobs';
import { StreamPackaging } from '@lib/playback';

@Injectable()
export class PackageStreamProcessor implements JobProcessor<'package-stream'> {
  readonly jobName = 'package-stream' as const;
  constructor(private readonly packaging: StreamPackaging) {}

  handle({ artifactId }: { artifactId: string }, context: JobContext): Promise<void> {
    return this.packaging.package(artifactId, context);
  }
}
