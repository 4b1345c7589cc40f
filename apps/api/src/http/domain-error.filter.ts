import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidSession, SessionNotFound } from '@lib/sessions';
import { ConsentRefused, InvalidConsent, PersonNotFound } from '@lib/consent';
import { ImagesConsentMissing, InvalidUpload, UnsupportedUpload, UploadNotFound, UploadNotReviewable, UploadTooLarge } from '@lib/uploads';
import { MalformedDelivery, RecordingNotFound, SignatureRejected } from '@lib/ingest';
import { ReviewNotAllowed, ReviewRecordingNotFound } from '@lib/playback';
import { ExportForbidden, ExportNotAvailable, ExportNotFound, InvalidStudy, StudyNotFound } from '@lib/research';
import { AnalysisRecordingNotFound, FeedbackNotAllowed, SafetyExceptionNotFound, SessionTextNotFound, TalkTimeNotFound } from '@lib/analytics';
import { HoldAlreadyReleased, HoldNotFound, HoldTargetNotFound, InvalidPolicy, UnknownPolicyProfile } from '@lib/retention';
import { PlaybackForbidden, PlaybackNotFound, PlaybackTokenRefused } from '@lib/playback';
import { RefusalLog } from './refusal-log';

/** Domain errors, one translation: each maps to a status and a message safe to show. */
const DOMAIN_STATUS: Array<[new (...args: never[]) => Error, number, (e: Error) => string]> = [
  [SignatureRejected, 401, (e) => `webhook signature refused: ${(e as SignatureRejected).reason}`],
  [MalformedDelivery, 400, (e) => `malformed delivery: ${(e as MalformedDelivery).reason}`],
  [InvalidSession, 400, (e) => (e as InvalidSession).reason],
  [RecordingNotFound, 404, () => 'recording not found'],
  [SessionNotFound, 404, (e) => e.message],
  [InvalidPolicy, 400, (e) => `invalid retention rules: ${(e as InvalidPolicy).reason}`],
  [UnknownPolicyProfile, 404, (e) => e.message],
  [HoldNotFound, 404, () => 'hold not found'],
  [HoldTargetNotFound, 404, (e) => e.message],
  [HoldAlreadyReleased, 409, (e) => e.message],
  [PersonNotFound, 404, () => 'person not found'],
  [InvalidConsent, 400, (e) => (e as InvalidConsent).reason],
  [ConsentRefused, 422, (e) => (e as ConsentRefused).reason],
  [ImagesConsentMissing, 403, (e) => e.message],
  [InvalidUpload, 400, (e) => (e as InvalidUpload).reason],
  [UnsupportedUpload, 415, (e) => `unsupported media: ${(e as UnsupportedUpload).reason}`],
  [UploadTooLarge, 413, (e) => e.message],
  [UploadNotFound, 404, (e) => e.message],
  [PlaybackTokenRefused, 401, (e) => `playback token refused: ${(e as PlaybackTokenRefused).refusal}`],
  [PlaybackForbidden, 403, (e) => (e as PlaybackForbidden).reason],
  [PlaybackNotFound, 404, (e) => e.message],
  [UploadNotReviewable, 409, (e) => `cannot review: ${(e as UploadNotReviewable).reason}`],
  [ReviewRecordingNotFound, 404, () => 'recording not found'],
  [ReviewNotAllowed, 403, (e) => e.message],
  [AnalysisRecordingNotFound, 404, () => 'recording not found'],
  [FeedbackNotAllowed, 403, (e) => e.message],
  [SessionTextNotFound, 404, (e) => e.message],
  [TalkTimeNotFound, 404, (e) => e.message],
  [SafetyExceptionNotFound, 404, (e) => e.message],
  [StudyNotFound, 404, (e) => e.message],
  [ExportNotFound, 404, (e) => e.message],
  [ExportForbidden, 403, (e) => e.message],
  [ExportNotAvailable, 409, (e) => e.message],
  [InvalidStudy, 400, (e) => e.message],
];

@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly refusals: RefusalLog) {}

  catch(error: Error, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const [status, message] = this.translate(error);
    if (status >= 500) this.logger.error(`unhandled ${error.name}: ${error.message}`, error.stack);
    // Anyone can provoke these by the thousand: sampled per source, not one line each.
    else if (status === 401 || status === 429) this.refusals.record(host.switchToHttp().getRequest<FastifyRequest>().ip, status, String(message));
    else this.logger.log(`answered ${status}: ${message}`);
    void reply.status(status).send({ statusCode: status, message });
  }

  private translate(error: Error): [number, string | string[]] {
    for (const [type, status, message] of DOMAIN_STATUS) {
      if (error instanceof type) return [status, message(error)];
    }
    if (error instanceof HttpException) {
      const response = error.getResponse();
      const message = typeof response === 'object' && response !== null && 'message' in response ? (response as { message: string | string[] }).message : error.message;
      return [error.getStatus(), message];
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) return [status, error.message]; // Fastify's own (body too large, …)
    return [500, 'internal error'];
  }
}
