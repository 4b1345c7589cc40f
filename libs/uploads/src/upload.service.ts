import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { Transactions } from '@lib/database';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { ConsentLedger } from '@lib/consent';
import type { MediaInfo } from '@lib/database';
import { MediaToolkit } from '@lib/media';
import { HOLIDAY_CALENDAR, HolidayCalendar, planExpiry, RetentionPolicies, retentionTags, STRICTEST_PROFILE, UnreviewedFallback } from '@lib/retention';
import { newObjectKey, ObjectStore, putVerified } from '@lib/storage';
import { ImagesConsentMissing, InvalidUpload, UnsupportedUpload, UploadNotFound, UploadNotReviewable, UploadTooLarge } from './upload-errors';
import { declaredTypeProblem, extensionFor, probedTypeProblem, UploadKind } from './upload-rules';
import { UploadRepository, UploadSession } from './upload.repository';

export interface UploadInput {
  kind: UploadKind;
  sessionId: string;
  learnerIds: string[];
  contentType: string | null;
  /** The request's Content-Length, when it sent one: too large is refused before a byte is read. */
  contentLength: number | null;
  body: Readable;
}

export interface UploadView {
  id: string;
  kind: string;
  sessionId: string;
  status: string;
  contentType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  /** The learners pictured (images) or verified (verification videos). */
  personIds: string[];
  expiresAt: string | null;
  reviewDecision: string | null;
  reviewedAt: string | null;
  storedAt: string | null;
}

export type ReviewDecision = 'approved' | 'rejected';

const PROBE_WAIT_MS = 30_000;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Other media (issue 3 item 10): images of pupils, only with every pictured learner's current
 * images consent, removed 5 working days after upload; learner verification videos, whose deletion
 * clock starts when their review decision is recorded (and which go VERIFICATION_VIDEO_UNREVIEWED_DAYS
 * after upload at the latest, reviewed or not). Bytes stream straight to the bucket (never
 * a whole file in memory or on disk), limited in size, and are checked with ffprobe in passing.
 */
@Injectable()
export class Uploads {
  private readonly logger = new Logger(Uploads.name);

  constructor(
    private readonly repository: UploadRepository,
    private readonly transactions: Transactions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: ObjectStore,
    private readonly media: MediaToolkit,
    private readonly consent: ConsentLedger,
    private readonly policies: RetentionPolicies,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    @Inject(HOLIDAY_CALENDAR) private readonly calendar: HolidayCalendar,
  ) {}

  async upload(input: UploadInput, actorId: string): Promise<UploadView> {
    const declared = declaredTypeProblem(input.kind, input.contentType);
    if (declared) throw new UnsupportedUpload(declared);
    const max = input.kind === 'image' ? this.config.retention.imageMaxBytes : this.config.retention.verificationVideoMaxBytes;
    if (input.contentLength !== null && input.contentLength > max) throw new UploadTooLarge(max);
    if (input.learnerIds.length === 0) throw new InvalidUpload('learnerIds must name the learner(s) pictured or verified');
    if (input.kind === 'verification_video' && input.learnerIds.length !== 1) {
      throw new InvalidUpload('a verification video verifies exactly one learner');
    }
    const session = await this.session(input.sessionId, input.learnerIds);
    // POLICIES §4: no picture of a pupil without written parental consent, checked before a byte is stored.
    if (input.kind === 'image') await this.requireImagesConsent(input.learnerIds);

    const key = newObjectKey(`u/${randomBytes(16).toString('hex')}`, extensionFor(input.contentType));
    const at = this.clock.now();
    const policy = await this.policies.current(session.policyProfile);
    const plan = planExpiry(input.kind, { session_start: session.startsAt, upload: at, review_decision: null, study_agreement: null }, policy.rules, this.calendar, this.unreviewed(at));
    let stored: { bytes: number; sha256: string; media: MediaInfo | null };
    try {
      stored = await this.transfer(input.body, key, input.contentType as string, max, retentionTags(plan.retentionClass, plan.expiresAt));
      const problem = probedTypeProblem(input.kind, stored.media);
      if (problem) throw new UnsupportedUpload(problem);
    } catch (error) {
      await this.store.deleteMany([key]).catch(() => this.logger.warn('a refused upload could not be removed yet; the incomplete-upload sweep will'));
      throw error;
    }

    const personIds = input.learnerIds;
    try {
      return await this.transactions.run(async () => {
        // Consent withdrawn while the bytes were arriving: the picture is not kept.
        if (input.kind === 'image') await this.requireImagesConsent(personIds);
        const id = await this.repository.insertStored({
          sessionId: input.sessionId,
          kind: input.kind,
          storageKey: key,
          contentType: (input.contentType ?? '').split(';')[0].trim().toLowerCase(),
          sizeBytes: stored.bytes,
          sha256: stored.sha256,
          media: stored.media,
          storedAt: at,
          personId: input.kind === 'verification_video' ? personIds[0] : null,
          picturedPersonIds: personIds,
          expiresAt: plan.expiresAt,
          retentionClass: plan.retentionClass,
          retentionAnchorAt: at,
          policyProfile: policy.profile,
          policyVersion: policy.version,
        });
        await this.audit.append(
          {
            actorId,
            action: 'upload.stored',
            subjectType: 'artifact',
            subjectId: id,
            details: { kind: input.kind, sessionId: input.sessionId, learners: personIds.length, sizeBytes: stored.bytes, sha256: stored.sha256 },
          },
        );
        return this.view(id);
      });
    } catch (error) {
      await this.store.deleteMany([key]).catch(() => undefined);
      throw error;
    }
  }

  /** A reviewer's decision on a verification video starts its deletion clock (policy `verification_video`). */
  async review(uploadId: string, decision: ReviewDecision, reviewerId: string): Promise<UploadView> {
    if (!isUuid(uploadId)) throw new UploadNotFound();
    return this.transactions.run(async () => {
      // Lock order: the upload's row first, the audit trail (its chain lock) last.
      const upload = await this.repository.lockForReview(uploadId);
      if (!upload) throw new UploadNotFound();
      if (upload.kind !== 'verification_video') throw new UploadNotReviewable('only verification videos are reviewed');
      if (upload.reviewDecision) throw new UploadNotReviewable(`already reviewed (${upload.reviewDecision})`);
      if (upload.status !== 'stored') throw new UploadNotReviewable(`the video is ${upload.status}`);
      const at = this.clock.now();
      const policy = await this.policies.current(upload.policyProfile ?? STRICTEST_PROFILE);
      const anchors = { session_start: upload.sessionStart, upload: upload.storedAt, review_decision: at, study_agreement: null };
      // The decision shortens the expiry the upload set; it never keeps the video longer.
      const plan = planExpiry('verification_video', anchors, policy.rules, this.calendar, this.unreviewed(upload.storedAt));
      await this.repository.recordReview(uploadId, {
        decision,
        reviewedAt: at,
        reviewedBy: reviewerId,
        expiresAt: plan.expiresAt,
        retentionAnchorAt: plan.anchorAt,
        retentionClass: plan.retentionClass,
        policyProfile: policy.profile,
        policyVersion: policy.version,
      });
      await this.audit.append(
        { actorId: reviewerId, action: 'upload.reviewed', subjectType: 'artifact', subjectId: uploadId, details: { kind: upload.kind, decision } },
      );
      return this.view(uploadId);
    });
  }

  private async view(id: string): Promise<UploadView> {
    const a = await this.repository.find(id);
    if (!a) throw new UploadNotFound();
    return {
      id: a.id,
      kind: a.kind,
      sessionId: a.sessionId,
      status: a.status,
      contentType: a.contentType,
      sizeBytes: a.sizeBytes,
      sha256: a.sha256,
      personIds: a.picturedPersonIds,
      expiresAt: iso(a.expiresAt),
      reviewDecision: a.reviewDecision,
      reviewedAt: iso(a.reviewedAt),
      storedAt: iso(a.storedAt),
    };
  }

  /** Verification videos nobody reviews still go, this long after their upload (issue 11 A.10). */
  private unreviewed(uploadedAt: Date | null): UnreviewedFallback {
    return { uploadedAt, days: this.config.retention.verificationVideoUnreviewedDays };
  }

  private async session(sessionId: string, learnerIds: string[]): Promise<UploadSession> {
    const session = await this.repository.session(sessionId);
    if (!session) throw new UploadNotFound('session');
    const learners = await this.repository.learnersAmong(sessionId, learnerIds);
    const unknown = learnerIds.filter((id) => !learners.includes(id));
    if (unknown.length > 0) throw new InvalidUpload(`not learners of session ${sessionId}: ${unknown.join(', ')}`);
    return session;
  }

  private async requireImagesConsent(learnerIds: string[], ): Promise<void> {
    const missing = await this.consent.withoutImagesConsent(learnerIds);
    if (missing.length > 0) throw new ImagesConsentMissing(missing);
  }

  /** Request body → size limit, count and hash → ffprobe in passing → the bucket. */
  private async transfer(body: Readable, key: string, contentType: string, max: number, tags: Record<string, string>) {
    const probe = this.media.probeTap();
    // The request is fed in by hand, not destroyed with the pipeline: past the limit, the rest is
    // drained to nowhere so the client still reads the 413.
    const stored = await putVerified(this.store, key, body, {
      maxBytes: max,
      tooLarge: (limit) => new UploadTooLarge(limit),
      drainSourceOnError: true,
      stages: [probe.tap],
      contentType: contentType.split(';')[0].trim(),
      tags,
    });
    const media = await Promise.race([probe.result, new Promise<null>((resolve) => setTimeout(() => resolve(null), PROBE_WAIT_MS).unref())]);
    return { bytes: stored.size, sha256: stored.sha256, media };
  }
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
