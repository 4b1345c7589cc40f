import { Injectable } from '@nestjs/common';
import { JobProcessor } from '@lib/jobs';
import { ArtifactDeletion } from '@lib/retention';

@Injectable()
export class DeleteArtifactProcessor implements JobProcessor<'delete-artifact'> {
  readonly jobName = 'delete-artifact' as const;
  constructor(private readonly deletion: ArtifactDeletion) {}

  async handle({ artifactId }: { artifactId: string }): Promise<void> {
    await this.deletion.deleteArtifact(artifactId);
  }
}
