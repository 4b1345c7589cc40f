import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AnalyticsModule } from '@lib/analytics';
import { AuditModule } from '@lib/audit';
import { ConsentModule } from '@lib/consent';
import { IngestModule } from '@lib/ingest';
import { JOB_PROCESSORS } from '@lib/jobs';
import { PlaybackModule } from '@lib/playback';
import { RetentionModule } from '@lib/retention';
import { AnalyseRecordingProcessor } from './analyse-recording.processor';
import { AnalysisScheduler } from './analysis.scheduler';
import { ArchiveArtifactProcessor } from './archive-artifact.processor';
import { AuditScheduler } from './audit.scheduler';
import { BuildExportProcessor } from './build-export.processor';
import { DeleteArtifactProcessor } from './delete-artifact.processor';
import { DeleteArtifactsProcessor } from './delete-artifacts.processor';
import { EnforceOptOutProcessor } from './enforce-opt-out.processor';
import { MaintenanceScheduler } from './maintenance.scheduler';
import { OptOutScheduler } from './opt-out.scheduler';
import { PackageStreamProcessor } from './package-stream.processor';
import { PeriodicTasks } from './periodic-tasks';
import { ProcessDeliveryProcessor } from './process-delivery.processor';
import { QueueWorkers } from './queue-workers';
import { RecomputeExpiryProcessor } from './recompute-expiry.processor';
import { RemoveCloudCopyProcessor } from './remove-cloud-copy.processor';
import { ResearchScheduler } from './research.scheduler';
import { StreamScheduler } from './stream.scheduler';

const PROCESSORS = [ProcessDeliveryProcessor, ArchiveArtifactProcessor, RemoveCloudCopyProcessor, DeleteArtifactProcessor, DeleteArtifactsProcessor, RecomputeExpiryProcessor, EnforceOptOutProcessor, PackageStreamProcessor, AnalyseRecordingProcessor, BuildExportProcessor];

/** Queue processors and schedulers (RUN_MODE=worker or all). */
@Module({
  imports: [ScheduleModule.forRoot(), IngestModule, RetentionModule, ConsentModule, PlaybackModule, AnalyticsModule, AuditModule],
  providers: [
    ...PROCESSORS,
    { provide: JOB_PROCESSORS, useFactory: (...processors: unknown[]) => processors, inject: PROCESSORS },
    QueueWorkers,
    PeriodicTasks,
    MaintenanceScheduler,
    OptOutScheduler,
    StreamScheduler,
    AnalysisScheduler,
    ResearchScheduler,
    AuditScheduler,
  ],
})
export class WorkerModule {}
