import { Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AnalyticsModule } from '@lib/analytics';
import { AuditModule } from '@lib/audit';
import { AuthModule } from '@lib/auth';
import { ConsentModule } from '@lib/consent';
import { IngestModule } from '@lib/ingest';
import { PlaybackModule, ReviewModule } from '@lib/playback';
import { RetentionModule } from '@lib/retention';
import { SessionsModule } from '@lib/sessions';
import { UploadsModule } from '@lib/uploads';
import { AuditController } from './audit/audit.controller';
import { FeedbackController } from './feedback/feedback.controller';
import { HealthController } from './health/health.controller';
import { AccessGuard } from './http/access.guard';
import { DomainErrorFilter } from './http/domain-error.filter';
import { RefusalLog } from './http/refusal-log';
import { PeopleController } from './people/people.controller';
import { PlaybackStreamController } from './playback/playback-stream.controller';
import { PlaybackController } from './playback/playback.controller';
import { ReviewAssignmentsController } from './playback/review-assignments.controller';
import { RecordingsController } from './recordings/recordings.controller';
import { ResearchController } from './research/research.controller';
import { HoldsController } from './retention/holds.controller';
import { FeedbackPageController } from './pages/feedback-page.controller';
import { PageKitController } from './pages/page-kit.controller';
import { ReviewPageController } from './pages/review-page.controller';
import { RetentionController } from './retention/retention.controller';
import { ReviewsController } from './reviews/reviews.controller';
import { SafetyController } from './safety/safety.controller';
import { SessionsController } from './sessions/sessions.controller';
import { UploadsController } from './uploads/uploads.controller';
import { ZoomWebhookController } from './webhooks/zoom-webhook.controller';

/** Health, metrics and the error and access rules: every process that serves HTTP has these. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), AuthModule],
  controllers: [HealthController],
  providers: [
    RefusalLog,
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_FILTER, useClass: DomainErrorFilter },
    { provide: APP_PIPE, useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }) },
  ],
})
export class OperationsHttpModule {}

/** The public API (RUN_MODE=api or all). */
@Module({
  imports: [IngestModule, SessionsModule, AuditModule, RetentionModule, ConsentModule, UploadsModule, PlaybackModule, ReviewModule, AnalyticsModule],
  controllers: [
    ZoomWebhookController,
    SessionsController,
    RecordingsController,
    AuditController,
    RetentionController,
    HoldsController,
    PeopleController,
    UploadsController,
    PlaybackController,
    PlaybackStreamController,
    ReviewAssignmentsController,
    ReviewsController,
    PageKitController,
    ReviewPageController,
    FeedbackPageController,
    FeedbackController,
    SafetyController,
    ResearchController,
  ],
})
export class ApiModule {}
