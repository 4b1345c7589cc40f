import { Injectable } from '@nestjs/common';
import { RecordingAnalysis } from '@lib/analytics';
import { JobProcessor } from '@lib/jobs';

@Injectable()
export class AnalyseRecordingProcessor implements JobProcessor<'analyse-recording'> {
  readonly jobName = 'analyse-recording' as const;
  constructor(private readonly analysis: RecordingAnalysis) {}

  async handle({ recordingId }: { recordingId: string }): Promise<void> {
    await this.analysis.analyse(recordingId);
  }
}
