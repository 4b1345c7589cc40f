import { Injectable } from '@nestjs/common';
import { JobPayloads, JobProcessor } from '@lib/jobs';
import { ArtifactDeletion } from '@lib/retention';

/** A page of the retention sweep, deleted as one batch through the one deletion path. */
@Injectable()
export class DeleteArtifactsProcessor implements JobProcessor<'delete-artifacts'> {
  readonly jobName = 'delete-artifacts' as const;
  constructor(private readonly deletion: ArtifactDeletion) {}

  async handle({ artifactIds }: JobPayloads['delete-artifacts']): Promise<void> {
    await this.deletion.deleteArtifacts(artifactIds);
  }
}
