import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';
import { heldArtifactSql } from '@lib/retention';

export interface ErasurePersonRow {
  display_name: string;
  email: string | null;
  erased_at: Date | null;
}

export interface OwnArtifactRow {
  id: string;
  status: string;
  held: boolean;
}

/** Kept text of a session the person took part in, or of a recording never matched to a session. */
export interface TextInScopeRow {
  id: string;
  kind: string;
  session_id: string | null;
  held: boolean;
}

/** The text artifact under its row lock, as the rewrite needs it. */
export interface LockedTextRow {
  id: string;
  kind: string;
  status: string;
  storage_key: string;
  content_type: string | null;
  recording_id: string;
  retention_class: string | null;
  expires_at: Date | null;
  held: boolean;
}

export interface LabelledTrackRow {
  id: string;
  participant_label: string;
  person_id: string | null;
  session_id: string | null;
}

export interface HoldTextRow {
  id: string;
  reason: string;
  note: string | null;
}

export interface InboxBodyRow {
  id: string;
  status: string;
  body: unknown;
}

/** An erasure whose follow-up is still open: what to look for is kept until it closes. */
export interface OpenErasureRow {
  id: string;
  person_id: string;
  redaction_name: string | null;
  redaction_email: string | null;
  follow_up_until: Date;
}

export interface NewErasure {
  personId: string;
  requestedBy: string;
  requestedAt: Date;
  redactionName: string | null;
  redactionEmail: string | null;
  followUpUntil: Date;
}

const TEXT_KINDS = `('transcript', 'chat', 'timeline', 'other')`;
/** Sessions the person took part in, or none at all (recordings never matched: anyone may be in them). */
const IN_SCOPE = `(r.session_id IN (SELECT session_id FROM session_participants WHERE person_id = $1) OR r.session_id IS NULL)`;

/** Erasure requests and the rows an erasure reads and rewrites (artifacts, people, holds' free text, inbox bodies). */
@Injectable()
export class ErasureRecords {
  constructor(private readonly sql: Sql) {}

  person(personId: string): Promise<ErasurePersonRow | null> {
    return this.sql.one<ErasurePersonRow>('SELECT display_name, email, erased_at FROM people WHERE id = $1', [personId]);
  }

  async createRequest(r: NewErasure): Promise<string> {
    const row = await this.sql.one<{ id: string }>(
      `INSERT INTO erasure_requests (person_id, requested_by, requested_at, redaction_name, redaction_email, follow_up_until)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [r.personId, r.requestedBy, r.requestedAt, r.redactionName, r.redactionEmail, r.followUpUntil],
    );
    return row!.id;
  }

  /** Their per-participant audio, images picturing them, their verification videos, still kept. */
  ownArtifacts(personId: string): Promise<OwnArtifactRow[]> {
    return this.sql.rows<OwnArtifactRow>(
      `SELECT a.id, a.status, ${heldArtifactSql('a')} AS held FROM artifacts a
       WHERE a.status IN ('pending', 'stored')
         AND ((a.person_id = $1 AND a.kind IN ('participant_audio', 'verification_video'))
              OR (a.kind = 'image' AND $1 = ANY(a.pictured_person_ids)))
       ORDER BY a.id`,
      [personId],
    );
  }

  async statusesOf(ids: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.sql.rows<{ id: string; status: string }>('SELECT id, status FROM artifacts WHERE id = ANY($1)', [ids]);
    return new Map(rows.map((r) => [r.id, r.status]));
  }

  /** Stored text in scope this request has not dealt with yet (held text included, flagged). */
  textsNotYetRedacted(personId: string, requestId: string): Promise<TextInScopeRow[]> {
    return this.sql.rows<TextInScopeRow>(
      `SELECT a.id, a.kind, r.session_id, ${heldArtifactSql('a')} AS held
       FROM artifacts a JOIN recordings r ON r.id = a.recording_id
       WHERE a.kind IN ${TEXT_KINDS} AND a.status = 'stored' AND ${IN_SCOPE}
         AND NOT EXISTS (SELECT 1 FROM erasure_redactions er WHERE er.erasure_request_id = $2 AND er.artifact_id = a.id)
       ORDER BY a.id`,
      [personId, requestId],
    );
  }

  /** How much in scope still keeps the follow-up open: text pending or not yet redacted, their own files not gone. */
  async outstanding(personId: string, requestId: string): Promise<number> {
    const row = await this.sql.one<{ n: number }>(
      `SELECT (SELECT count(*) FROM artifacts a JOIN recordings r ON r.id = a.recording_id
               WHERE a.kind IN ${TEXT_KINDS} AND ${IN_SCOPE}
                 AND (a.status = 'pending' OR (a.status = 'stored' AND NOT EXISTS (
                   SELECT 1 FROM erasure_redactions er WHERE er.erasure_request_id = $2 AND er.artifact_id = a.id))))
            + (SELECT count(*) FROM artifacts a WHERE a.status IN ('pending', 'stored')
               AND ((a.person_id = $1 AND a.kind IN ('participant_audio', 'verification_video'))
                    OR (a.kind = 'image' AND $1 = ANY(a.pictured_person_ids)))) AS n`,
      [personId, requestId],
    );
    return Number(row?.n ?? 0);
  }

  /**
   * The text artifact, locked until the caller's transaction ends: a retention deletion of the
   * same row waits for the rewrite, or the rewrite sees the row `deleted` and leaves it alone.
   */
  lockText(artifactId: string): Promise<LockedTextRow | null> {
    return this.sql.one<LockedTextRow>(
      `SELECT a.id, a.kind, a.status, a.storage_key, a.content_type, a.recording_id, a.retention_class, a.expires_at,
              ${heldArtifactSql('a')} AS held
       FROM artifacts a WHERE a.id = $1 FOR UPDATE OF a`,
      [artifactId],
    );
  }

  async describeNewBytes(artifactId: string, sizeBytes: number, sha256: string): Promise<void> {
    await this.sql.run(`UPDATE artifacts SET size_bytes = $2, sha256 = $3, updated_at = now() WHERE id = $1 AND status = 'stored'`, [
      artifactId,
      sizeBytes,
      sha256,
    ]);
  }

  async noteRedacted(requestId: string, artifactId: string, replacements: number, at: Date): Promise<void> {
    await this.sql.run(
      `INSERT INTO erasure_redactions (erasure_request_id, artifact_id, replacements, at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (erasure_request_id, artifact_id) DO NOTHING`,
      [requestId, artifactId, replacements, at],
    );
  }

  /** Per-participant tracks that still carry a display name: theirs, or unnamed ones in scope. */
  labelledTracks(personId: string): Promise<LabelledTrackRow[]> {
    return this.sql.rows<LabelledTrackRow>(
      `SELECT a.id, a.participant_label, a.person_id, r.session_id
       FROM artifacts a JOIN recordings r ON r.id = a.recording_id
       WHERE a.participant_label IS NOT NULL AND (a.person_id = $1 OR (a.person_id IS NULL AND ${IN_SCOPE}))
       ORDER BY a.id`,
      [personId],
    );
  }

  /** The label goes; `personId` (a track of their session that matched them) makes the track theirs. */
  async clearLabel(artifactId: string, personId: string | null): Promise<void> {
    await this.sql.run('UPDATE artifacts SET participant_label = NULL, person_id = COALESCE(person_id, $2), updated_at = now() WHERE id = $1', [
      artifactId,
      personId,
    ]);
  }

  /** Holds with free text (a small table: read whole, so accents and spacing are matched in code). */
  holdsWithText(): Promise<HoldTextRow[]> {
    return this.sql.rows<HoldTextRow>('SELECT id, reason, note FROM holds ORDER BY id');
  }

  async rewriteHoldText(holdId: string, reason: string, note: string | null): Promise<void> {
    await this.sql.run('UPDATE holds SET reason = $2, note = $3 WHERE id = $1', [holdId, reason, note]);
  }

  /** Review notes (free text, read whole like hold texts). */
  reviewsWithNote(): Promise<Array<{ id: string; note: string }>> {
    return this.sql.rows<{ id: string; note: string }>('SELECT id, note FROM reviews WHERE note IS NOT NULL ORDER BY id');
  }

  async rewriteReviewNote(reviewId: string, note: string): Promise<void> {
    await this.sql.run('UPDATE reviews SET note = $2 WHERE id = $1', [reviewId, note]);
  }

  /** Inbox bodies of their sessions' meetings, or that contain one of these ILIKE patterns. */
  deliveriesMentioning(personId: string, patterns: readonly string[]): Promise<InboxBodyRow[]> {
    return this.sql.rows<InboxBodyRow>(
      `SELECT id, status, body FROM webhook_deliveries WHERE body IS NOT NULL AND (
         zoom_meeting_uuid IN (SELECT r.zoom_meeting_uuid FROM recordings r
                               JOIN session_participants sp ON sp.session_id = r.session_id WHERE sp.person_id = $1)
         OR body::text ILIKE ANY($2))
       ORDER BY id`,
      [personId, patterns],
    );
  }

  async setDeliveryBody(deliveryId: string, body: unknown | null): Promise<void> {
    await this.sql.run('UPDATE webhook_deliveries SET body = $2 WHERE id = $1', [deliveryId, body === null ? null : JSON.stringify(body)]);
  }

  /** `people` forgets the name and email; the request keeps its counts. */
  async finish(personId: string, requestId: string, erasedName: string, counts: object, at: Date, completed: boolean): Promise<void> {
    await this.sql.run(`UPDATE people SET display_name = $2, email = NULL, erased_at = COALESCE(erased_at, $3), updated_at = now() WHERE id = $1`, [
      personId,
      erasedName,
      at,
    ]);
    await this.sql.run('UPDATE erasure_requests SET counts = $2, completed_at = $3 WHERE id = $1', [requestId, JSON.stringify(counts), completed ? at : null]);
  }

  openRequests(limit: number): Promise<OpenErasureRow[]> {
    return this.sql.rows<OpenErasureRow>(
      `SELECT id, person_id, redaction_name, redaction_email, follow_up_until FROM erasure_requests
       WHERE follow_up_closed_at IS NULL AND follow_up_until IS NOT NULL ORDER BY requested_at LIMIT $1`,
      [limit],
    );
  }

  /** Closed: the name and email it kept to look for are forgotten too. */
  async closeFollowUp(requestId: string, at: Date): Promise<void> {
    await this.sql.run(
      'UPDATE erasure_requests SET redaction_name = NULL, redaction_email = NULL, follow_up_closed_at = $2 WHERE id = $1',
      [requestId, at],
    );
  }
}
