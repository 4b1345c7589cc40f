import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { IngestModule } from '@lib/ingest';
import { JOB_PROCESSORS } from '@lib/jobs';
import { RetentionModule } from '@lib/retention';
import { ArchiveArtifactProcessor } from './archive-artifact.processor';
import { DeleteArtifactProcessor } from './delete-artifact.processor';
import { MaintenanceScheduler } from './maintenance.scheduler';
import { ProcessDeliveryProcessor } from './process-delivery.processor';
import { QueueWorkers } from './queue-workers';
import { RemoveCloudCopyProcessor } from './remove-cloud-copy.processor';

const PROCESSORS = [ProcessDeliveryProcessor, ArchiveArtifactProcessor, RemoveCloudCopyProcessor, DeleteArtifactProcessor];

/** Queue processors and schedulers (RUN_MODE=worker or all). */
@Module({
  imports: [ScheduleModule.forRoot(), IngestModule, RetentionModule],
  providers: [
    ...PROCESSORS,
    { provide: JOB_PROCESSORS, useFactory: (...processors: unknown[]) => processors, inject: PROCESSORS },
    QueueWorkers,
    MaintenanceScheduler,
  ],
})
export class WorkerModule {}
