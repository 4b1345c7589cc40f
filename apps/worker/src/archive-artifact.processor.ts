import { Injectable } from '@nestjs/common';
import { ArchiveService } from '@lib/ingest';
import { JobContext, JobProcessor } from '@lib/jobs';

@Injectable()
export class ArchiveArtifactProcessor implements JobProcessor<'archive-artifact'> {
  readonly jobName = 'archive-artifact' as const;
  constructor(private readonly archive: ArchiveService) {}

  handle({ artifactId }: { artifactId: string }, context: JobContext): Promise<void> {
    return this.archive.archive(artifactId, context);
  }
}
