import { Injectable } from '@nestjs/common';
import { MediaInfo, Sql } from '@lib/database';

/** The session an upload belongs to: its profile and start. */
export interface UploadSession {
  policyProfile: string;
  startsAt: Date;
}

/** A stored upload's row, as the service writes it (retention fields from its expiry plan). */
export interface NewUpload {
  sessionId: string;
  kind: string;
  storageKey: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  media: MediaInfo | null;
  storedAt: Date;
  /** The learner a verification video verifies. */
  personId: string | null;
  picturedPersonIds: string[];
  expiresAt: Date | null;
  retentionClass: string;
  retentionAnchorAt: Date | null;
  policyProfile: string;
  policyVersion: number;
}

/** What a review decision needs to know about the upload, read under its row lock. */
export interface ReviewTarget {
  kind: string;
  status: string;
  reviewDecision: string | null;
  policyProfile: string | null;
  sessionStart: Date | null;
  storedAt: Date | null;
}

export interface ReviewFacts {
  decision: string;
  reviewedAt: Date;
  reviewedBy: string;
  expiresAt: Date | null;
  retentionAnchorAt: Date | null;
  retentionClass: string;
  policyProfile: string;
  policyVersion: number;
}

/** An upload as the API shows it. */
export interface UploadRecord {
  id: string;
  kind: string;
  sessionId: string;
  status: string;
  contentType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  picturedPersonIds: string[];
  expiresAt: Date | null;
  reviewDecision: string | null;
  reviewedAt: Date | null;
  storedAt: Date | null;
}

interface RecordRow {
  id: string;
  kind: string;
  session_id: string;
  status: string;
  content_type: string | null;
  size_bytes: string | null; // bigint: node-pg answers a string
  sha256: string | null;
  pictured_person_ids: string[] | null;
  expires_at: Date | null;
  review_decision: string | null;
  reviewed_at: Date | null;
  stored_at: Date | null;
}

interface ReviewTargetRow {
  kind: string;
  status: string;
  review_decision: string | null;
  policy_profile: string | null;
  session_start: Date | null;
  stored_at: Date | null;
}

/** Uploads (images, verification videos): artifacts that belong to a session, not a recording. */
@Injectable()
export class UploadRepository {
  constructor(private readonly sql: Sql) {}

  async session(sessionId: string): Promise<UploadSession | null> {
    const row = await this.sql.one<{ policy_profile: string; starts_at: Date }>('SELECT policy_profile, starts_at FROM sessions WHERE id = $1', [sessionId]);
    return row && { policyProfile: row.policy_profile, startsAt: row.starts_at };
  }

  /** Which of `personIds` are learners of the session. */
  async learnersAmong(sessionId: string, personIds: string[]): Promise<string[]> {
    const rows = await this.sql.rows<{ person_id: string }>(
      `SELECT person_id FROM session_participants WHERE session_id = $1 AND role = 'learner' AND person_id = ANY($2)`,
      [sessionId, personIds],
    );
    return rows.map((r) => r.person_id);
  }

  /** Inserts the stored upload; returns its id. */
  async insertStored(u: NewUpload): Promise<string> {
    const [row] = await this.sql.rows<{ id: string }>(
      `INSERT INTO artifacts (session_id, kind, storage_key, content_type, size_bytes, sha256, media_info, duration_seconds, status,
         stored_at, person_id, pictured_person_ids, expires_at, retention_class, retention_anchor_at, policy_profile, policy_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'stored', $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
      [
        u.sessionId,
        u.kind,
        u.storageKey,
        u.contentType,
        u.sizeBytes,
        u.sha256,
        u.media ? JSON.stringify(u.media) : null,
        u.media?.durationSeconds ?? null,
        u.storedAt,
        u.personId,
        u.picturedPersonIds,
        u.expiresAt,
        u.retentionClass,
        u.retentionAnchorAt,
        u.policyProfile,
        u.policyVersion,
      ],
    );
    return row.id;
  }

  /** Locks the upload's row (FOR UPDATE) for a review decision; null when there is no such upload. */
  async lockForReview(uploadId: string): Promise<ReviewTarget | null> {
    const row = await this.sql.one<ReviewTargetRow>(
      `SELECT a.kind, a.status, a.review_decision, a.policy_profile, s.starts_at AS session_start, a.stored_at
       FROM artifacts a LEFT JOIN sessions s ON s.id = a.session_id
       WHERE a.id = $1 AND a.session_id IS NOT NULL AND a.kind IN ('image', 'verification_video') FOR UPDATE OF a`,
      [uploadId],
    );
    return (
      row && {
        kind: row.kind,
        status: row.status,
        reviewDecision: row.review_decision,
        policyProfile: row.policy_profile,
        sessionStart: row.session_start,
        storedAt: row.stored_at,
      }
    );
  }

  /** Records the decision and the expiry it leads to. */
  async recordReview(uploadId: string, r: ReviewFacts): Promise<void> {
    await this.sql.run(
      `UPDATE artifacts SET review_decision = $2, reviewed_at = $3, reviewed_by = $4, expires_at = $5, retention_anchor_at = $6,
         retention_class = $7, policy_profile = $8, policy_version = $9, updated_at = now()
       WHERE id = $1`,
      [uploadId, r.decision, r.reviewedAt, r.reviewedBy, r.expiresAt, r.retentionAnchorAt, r.retentionClass, r.policyProfile, r.policyVersion],
    );
  }

  async find(id: string): Promise<UploadRecord | null> {
    const a = await this.sql.one<RecordRow>(
      `SELECT id, kind, session_id, status, content_type, size_bytes, sha256, pictured_person_ids, expires_at, review_decision, reviewed_at, stored_at
       FROM artifacts WHERE id = $1`,
      [id],
    );
    return (
      a && {
        id: a.id,
        kind: a.kind,
        sessionId: a.session_id,
        status: a.status,
        contentType: a.content_type,
        sizeBytes: a.size_bytes === null ? null : Number(a.size_bytes),
        sha256: a.sha256,
        picturedPersonIds: a.pictured_person_ids ?? [],
        expiresAt: a.expires_at,
        reviewDecision: a.review_decision,
        reviewedAt: a.reviewed_at,
        storedAt: a.stored_at,
      }
    );
  }
}
