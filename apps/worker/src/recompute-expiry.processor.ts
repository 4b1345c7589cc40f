import { Injectable } from '@nestjs/common';
import { JobPayloads, JobProcessor } from '@lib/jobs';
import { ExpiryAssigner } from '@lib/retention';

@Injectable()
export class RecomputeExpiryProcessor implements JobProcessor<'recompute-expiry'> {
  readonly jobName = 'recompute-expiry' as const;
  constructor(private readonly expiry: ExpiryAssigner) {}

  /** Applies the profile's newest version (a job for an older one does the same work: idempotent). */
  async handle({ profile }: JobPayloads['recompute-expiry']): Promise<void> {
    await this.expiry.recomputeProfile(profile);
  }
}
