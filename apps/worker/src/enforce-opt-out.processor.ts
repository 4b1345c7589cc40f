import { Injectable } from '@nestjs/common';
import { OptOutEnforcer } from '@lib/consent';
import { JobContext, JobPayloads, JobProcessor } from '@lib/jobs';

/** A stored video whose audio is being extracted is looked at again this soon. */
const WAIT_FOR_AUDIO_MS = 3000;

@Injectable()
export class EnforceOptOutProcessor implements JobProcessor<'enforce-opt-out'> {
  readonly jobName = 'enforce-opt-out' as const;
  constructor(private readonly optOuts: OptOutEnforcer) {}

  async handle(payload: JobPayloads['enforce-opt-out'], context: JobContext): Promise<void> {
    const outcome = payload.personId
      ? await this.optOuts.applyForPerson(payload.personId)
      : await this.optOuts.applyToRecording(payload.recordingId as string);
    // The video goes once the audio taken from it is stored: come back then (no attempt spent).
    if (outcome.waiting.length > 0) await context.postpone(WAIT_FOR_AUDIO_MS);
  }
}
