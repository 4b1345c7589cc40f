import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { PassThrough, Readable, Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Sql, Transactions } from '@lib/database';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { ConsentLedger } from '@lib/consent';
import type { MediaInfo } from '@lib/database';
import { MediaToolkit } from '@lib/media';
import { HolidayCalendar, planExpiry, RegionHolidayCalendar, RetentionPolicies, retentionTags, STRICTEST_PROFILE } from '@lib/retention';
import { newObjectKey, ObjectStore } from '@lib/storage';
import { ImagesConsentMissing, InvalidUpload, UnsupportedUpload, UploadNotFound, UploadNotReviewable, UploadTooLarge } from './upload-errors';
import { declaredTypeProblem, extensionFor, probedTypeProblem, UploadKind } from './upload-rules';

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

/** Counts and hashes the bytes, and refuses any beyond the limit. */
class UploadMeter extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');
  constructor(private readonly maxBytes: number) {
    super();
  }
  get sha256(): string {
    return this.hash.copy().digest('hex');
  }
  _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) return callback(new UploadTooLarge(this.maxBytes));
    this.hash.update(chunk);
    callback(null, chunk);
  }
}

const PROBE_WAIT_MS = 30_000;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Other media (issue 3 item 10): images of pupils, only with every pictured learner's current
 * images consent, removed 5 working days after upload; learner verification videos, whose deletion
 * clock starts when their review decision is recorded. Bytes stream straight to the bucket (never
 * a whole file in memory or on disk), limited in size, and are checked with ffprobe in passing.
 */
@Injectable()
export class Uploads {
  private readonly logger = new Logger(Uploads.name);
  private readonly calendar: HolidayCalendar;

  constructor(
    private readonly sql: Sql,
    private readonly transactions: Transactions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: ObjectStore,
    private readonly media: MediaToolkit,
    private readonly consent: ConsentLedger,
    private readonly policies: RetentionPolicies,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {
    this.calendar = new RegionHolidayCalendar(config.retention.holidayRegion);
  }

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
    const plan = planExpiry(input.kind, { session_start: session.startsAt, upload: at, review_decision: null, study_agreement: null }, policy.rules, this.calendar);
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
        const rows: Array<{ id: string }> = await this.sql.rows(
          `INSERT INTO artifacts (session_id, kind, storage_key, content_type, size_bytes, sha256, media_info, duration_seconds, status,
             stored_at, person_id, pictured_person_ids, expires_at, retention_class, retention_anchor_at, policy_profile, policy_version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'stored', $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
          [
            input.sessionId,
            input.kind,
            key,
            (input.contentType ?? '').split(';')[0].trim().toLowerCase(),
            stored.bytes,
            stored.sha256,
            stored.media ? JSON.stringify(stored.media) : null,
            stored.media?.durationSeconds ?? null,
            at,
            input.kind === 'verification_video' ? personIds[0] : null,
            personIds,
            plan.expiresAt,
            plan.retentionClass,
            at,
            policy.profile,
            policy.version,
          ],
        );
        await this.audit.append(
          {
            actorId,
            action: 'upload.stored',
            subjectType: 'artifact',
            subjectId: rows[0].id,
            details: { kind: input.kind, sessionId: input.sessionId, learners: personIds.length, sizeBytes: stored.bytes, sha256: stored.sha256 },
          },
        );
        return this.view(rows[0].id);
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
      const rows: Array<{ kind: string; status: string; review_decision: string | null; policy_profile: string | null; session_start: Date | null; stored_at: Date | null }> =
        await this.sql.rows(
          `SELECT a.kind, a.status, a.review_decision, a.policy_profile, s.starts_at AS session_start, a.stored_at
           FROM artifacts a LEFT JOIN sessions s ON s.id = a.session_id
           WHERE a.id = $1 AND a.session_id IS NOT NULL AND a.kind IN ('image', 'verification_video') FOR UPDATE OF a`,
          [uploadId],
        );
      const upload = rows[0];
      if (!upload) throw new UploadNotFound();
      if (upload.kind !== 'verification_video') throw new UploadNotReviewable('only verification videos are reviewed');
      if (upload.review_decision) throw new UploadNotReviewable(`already reviewed (${upload.review_decision})`);
      if (upload.status !== 'stored') throw new UploadNotReviewable(`the video is ${upload.status}`);
      const at = this.clock.now();
      const policy = await this.policies.current(upload.policy_profile ?? STRICTEST_PROFILE);
      const plan = planExpiry('verification_video', { session_start: upload.session_start, upload: upload.stored_at, review_decision: at, study_agreement: null }, policy.rules, this.calendar);
      await this.sql.rows(
        `UPDATE artifacts SET review_decision = $2, reviewed_at = $3, reviewed_by = $4, expires_at = $5, retention_anchor_at = $6,
           retention_class = $7, policy_profile = $8, policy_version = $9, updated_at = now()
         WHERE id = $1`,
        [uploadId, decision, at, reviewerId, plan.expiresAt, plan.anchorAt, plan.retentionClass, policy.profile, policy.version],
      );
      await this.audit.append(
        { actorId: reviewerId, action: 'upload.reviewed', subjectType: 'artifact', subjectId: uploadId, details: { kind: upload.kind, decision } },
      );
      return this.view(uploadId);
    });
  }

  private async view(id: string, ): Promise<UploadView> {
    const [a] = await this.sql.rows(
      `SELECT id, kind, session_id, status, content_type, size_bytes, sha256, pictured_person_ids, expires_at, review_decision, reviewed_at, stored_at
       FROM artifacts WHERE id = $1`,
      [id],
    );
    return {
      id: a.id,
      kind: a.kind,
      sessionId: a.session_id,
      status: a.status,
      contentType: a.content_type,
      sizeBytes: a.size_bytes === null ? null : Number(a.size_bytes),
      sha256: a.sha256,
      personIds: a.pictured_person_ids ?? [],
      expiresAt: iso(a.expires_at),
      reviewDecision: a.review_decision,
      reviewedAt: iso(a.reviewed_at),
      storedAt: iso(a.stored_at),
    };
  }

  private async session(sessionId: string, learnerIds: string[]): Promise<{ policyProfile: string; startsAt: Date }> {
    const sessions: Array<{ policy_profile: string; starts_at: Date }> = await this.sql.rows(
      'SELECT policy_profile, starts_at FROM sessions WHERE id = $1',
      [sessionId],
    );
    if (sessions.length === 0) throw new UploadNotFound('session');
    const learners: Array<{ person_id: string }> = await this.sql.rows(
      `SELECT person_id FROM session_participants WHERE session_id = $1 AND role = 'learner' AND person_id = ANY($2)`,
      [sessionId, learnerIds],
    );
    const unknown = learnerIds.filter((id) => !learners.some((l) => l.person_id === id));
    if (unknown.length > 0) throw new InvalidUpload(`not learners of session ${sessionId}: ${unknown.join(', ')}`);
    return { policyProfile: sessions[0].policy_profile, startsAt: sessions[0].starts_at };
  }

  private async requireImagesConsent(learnerIds: string[], ): Promise<void> {
    const missing = await this.consent.withoutImagesConsent(learnerIds);
    if (missing.length > 0) throw new ImagesConsentMissing(missing);
  }

  /** Request body → size limit, count and hash → ffprobe in passing → the bucket. */
  private async transfer(body: Readable, key: string, contentType: string, max: number, tags: Record<string, string>) {
    const meter = new UploadMeter(max);
    const probe = this.media.probeTap();
    const toStorage = new PassThrough();
    // The request is fed in by hand, not destroyed with the pipeline: past the limit, the rest is
    // drained to nowhere so the client still reads the 413.
    body.on('error', (error) => meter.destroy(error));
    body.pipe(meter);
    const flowing = pipeline([meter, probe.tap, toStorage]).catch((error) => {
      body.unpipe(meter);
      body.resume();
      throw error;
    });
    const upload = this.store.put(key, toStorage, { contentType: contentType.split(';')[0].trim(), tags });
    const [flow, put] = await Promise.allSettled([flowing, upload]);
    if (flow.status === 'rejected') throw flow.reason;
    if (put.status === 'rejected') throw put.reason;
    const head = await this.store.head(key);
    if (!head || head.size !== meter.bytes) throw new Error(`stored object has ${head?.size ?? 'no'} bytes, ${meter.bytes} were sent`);
    const media = await Promise.race([probe.result, new Promise<null>((resolve) => setTimeout(() => resolve(null), PROBE_WAIT_MS).unref())]);
    return { bytes: meter.bytes, sha256: meter.sha256, media };
  }
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
