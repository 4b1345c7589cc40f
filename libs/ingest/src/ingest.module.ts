import { Module } from '@nestjs/common';
import { AuditModule } from '@lib/audit';
import { ConsentModule } from '@lib/consent';
import { RetentionModule } from '@lib/retention';
import { SessionsModule } from '@lib/sessions';
import { ArchiveService } from './archive.service';
import { AudioExtraction } from './audio-extraction.service';
import { CloudCopyRemoval } from './cloud-copy.service';
import { DeliveryInbox } from './delivery-inbox.repository';
import { InboxGroupCommit } from './inbox-group-commit';
import { DeliveryBatches } from './delivery-batches';
import { InboxRelay } from './inbox-relay.service';
import { LinkRenewal } from './link-renewal.service';
import { RecordingCatalogueRepository } from './recording-catalogue.repository';
import { RecordingCatalogue } from './recording-catalogue.service';
import { RecordingIngest } from './recording-ingest.service';
import { RecordingRepository } from './recording.repository';
import { ZoomArtifactRepository } from './zoom-artifact.repository';
import { WebhookIntake } from './webhook-intake.service';
import { HttpZoomClient, ZoomClient } from './zoom-client';

@Module({
  imports: [AuditModule, SessionsModule, RetentionModule, ConsentModule],
  providers: [
    DeliveryInbox,
    RecordingRepository,
    ZoomArtifactRepository,
    WebhookIntake,
    InboxGroupCommit,
    InboxRelay,
    RecordingIngest,
    DeliveryBatches,
    ArchiveService,
    AudioExtraction,
    LinkRenewal,
    CloudCopyRemoval,
    RecordingCatalogue,
    RecordingCatalogueRepository,
    { provide: ZoomClient, useClass: HttpZoomClient },
  ],
  exports: [WebhookIntake, InboxRelay, RecordingIngest, DeliveryBatches, ArchiveService, CloudCopyRemoval, RecordingCatalogue, ZoomClient],
})
export class IngestModule {}
