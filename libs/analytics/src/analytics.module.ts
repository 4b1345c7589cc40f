import { Module } from '@nestjs/common';
import { AuditModule } from '@lib/audit';
import { RetentionModule } from '@lib/retention';
import { AnalysisErasure } from './analysis-erasure.service';
import { AnalysisRepository } from './analysis.repository';
import { RecordingAnalysis } from './recording-analysis.service';
import { SafetySignals } from './safety-signals.service';
import { SafetyRepository } from './safety.repository';
import { SessionText } from './session-text.service';
import { TalkTimeReports } from './talk-time-reports.service';
import { TalkTimeRepository } from './talk-time.repository';

/** Talk time, tutor feedback and safety signals (issue 13). */
@Module({
  imports: [AuditModule, RetentionModule],
  providers: [AnalysisRepository, TalkTimeRepository, SafetyRepository, RecordingAnalysis, TalkTimeReports, SessionText, SafetySignals, AnalysisErasure],
  exports: [RecordingAnalysis, TalkTimeReports, SessionText, SafetySignals, AnalysisErasure, SafetyRepository],
})
export class AnalyticsModule {}
