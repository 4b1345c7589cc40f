import { Module } from '@nestjs/common';
import { AuditModule } from '@lib/audit';
import { ConsentModule } from '@lib/consent';
import { PlaybackRecords } from './playback.repository';
import { PlaybackService } from './playback.service';
import { ReviewAssignments } from './review-assignment.repository';
import { ReviewAssignmentService } from './review-assignments.service';
import { StreamPackaging } from './stream-packaging.service';
import { StreamRepository } from './stream.repository';

/** Encrypted HLS streams for reviewers: packaging (worker), grants and serving (api), who may watch, review assignments. */
@Module({
  imports: [AuditModule, ConsentModule],
  providers: [StreamRepository, StreamPackaging, PlaybackRecords, ReviewAssignments, PlaybackService, ReviewAssignmentService],
  exports: [StreamPackaging, PlaybackService, ReviewAssignmentService, ReviewAssignments],
})
export class PlaybackModule {}
