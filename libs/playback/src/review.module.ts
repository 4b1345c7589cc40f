import { Module } from '@nestjs/common';
import { AnalyticsModule } from '@lib/analytics';
import { AuditModule } from '@lib/audit';
import { RetentionModule } from '@lib/retention';
import { ReviewRepository } from './review.repository';
import { ReviewService } from './review.service';

/** Reviews: outcomes (a safety outcome places a hold), the review queue, the transcript for the page. */
@Module({
  imports: [AuditModule, RetentionModule, AnalyticsModule],
  providers: [ReviewRepository, ReviewService],
  exports: [ReviewService],
})
export class ReviewModule {}
