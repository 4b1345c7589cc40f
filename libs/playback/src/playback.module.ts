import { Module } from '@nestjs/common';
import { AuditModule } from '@lib/audit';
import { ConsentModule } from '@lib/consent';
import { PlaybackRecords } from './playback.repository';
import { PlaybackService } from './playback.service';
import { ReviewAssignments } from './review-assignment.repository';
import { ReviewAssignmentService } from './review-assignments.service';

/** Streaming for reviewers: grants, serving, who may watch, review assignments. */
@Module({
  imports: [AuditModule, ConsentModule],
  providers: [PlaybackRecords, ReviewAssignments, PlaybackService, ReviewAssignmentService],
  exports: [PlaybackService, ReviewAssignmentService, ReviewAssignments],
})
export class PlaybackModule {}
