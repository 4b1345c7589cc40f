import { Injectable } from '@nestjs/common';
import { Sql, Transactions } from '@lib/database';
import { AuditTrail } from '@lib/audit';
import { OptOutEnforcer } from '@lib/consent';
import { ExpiryAssigner, heldArtifactSql } from '@lib/retention';
import { SessionRegistry } from '@lib/sessions';

export class RecordingNotFound extends Error {
  constructor() {
    super('recording not found');
    this.name = 'RecordingNotFound';
  }
}

export interface ArtifactView {
  id: string;
  kind: string;
  status: string;
  sizeBytes: number | null;
  sha256: string | null;
  contentType: string | null;
  durationSeconds: number | null;
  personId: string | null;
  expiresAt: string | null;
  /** The retention class, profile and policy version its expiry comes from. */
  retentionClass: string | null;
  policyProfile: string | null;
  policyVersion: number | null;
  /** A hold covers it: it is not deleted whatever its expiry. */
  held: boolean;
  storedAt: string | null;
  deletedAt: string | null;
  reason: string | null;
  /** Audio extracted from this video (video opt-out without an audio-only file from Zoom). */
  derivedFrom: string | null;
  /** Deletion receipt: the audit entry that records the deletion, and its chained hash. */
  auditEntryId: string | null;
  auditHash: string | null;
}

export interface HoldSummary {
  id: string;
  scope: string;
  targetId: string;
  placedAt: string;
}

export interface RecordingView {
  id: string;
  zoomMeetingUuid: string;
  zoomMeetingId: string;
  sessionId: string | null;
  policyProfile: string;
  status: string;
  startedAt: string;
  zoomCloudState: string;
  /** Active holds covering this recording (by recording, its session, or a person of its session). */
  holds: HoldSummary[];
  artifacts: ArtifactView[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** What reviewers and admins may read about recordings. Every read of one recording is audited. */
@Injectable()
export class RecordingCatalogue {
  constructor(
    private readonly sql: Sql,
    private readonly transactions: Transactions,
    private readonly audit: AuditTrail,
    private readonly sessions: SessionRegistry,
    private readonly expiry: ExpiryAssigner,
    private readonly optOuts: OptOutEnforcer,
  ) {}

  async get(recordingId: string, viewerId: string): Promise<RecordingView> {
    if (!isUuid(recordingId)) throw new RecordingNotFound();
    const [view] = await this.views('r.id = $1', [recordingId]);
    if (!view) throw new RecordingNotFound();
    await this.audit.append({ actorId: viewerId, action: 'recording.viewed', subjectType: 'recording', subjectId: recordingId });
    return view;
  }

  async findByMeetingUuid(zoomMeetingUuid: string): Promise<RecordingView[]> {
    return this.views('r.zoom_meeting_uuid = $1', [zoomMeetingUuid]);
  }

  async unmatched(limit = 100): Promise<RecordingView[]> {
    return this.views('r.session_id IS NULL', [], limit);
  }

  /** An admin ties an unmatched recording to its session; it then lives by that session's policy. */
  async link(recordingId: string, sessionId: string, actorId: string): Promise<RecordingView> {
    if (!isUuid(recordingId)) throw new RecordingNotFound();
    await this.transactions.run(async () => {
      const session: Array<{ policy_profile: string }> = await this.sql.rows('SELECT policy_profile FROM sessions WHERE id = $1', [sessionId]);
      if (session.length === 0) throw new RecordingNotFound();
      // TypeORM answers an UPDATE on PostgreSQL with [returned rows, row count].
      const updated: unknown[] = await this.sql.rows(
        'UPDATE recordings SET session_id = $2, policy_profile = $3, updated_at = now() WHERE id = $1 RETURNING id',
        [recordingId, sessionId, session[0].policy_profile],
      );
      if (updated.length === 0) throw new RecordingNotFound();
      await this.audit.append({ actorId, action: 'recording.linked', subjectType: 'recording', subjectId: recordingId, details: { sessionId } });
      await this.sessions.matchParticipantAudio(recordingId, sessionId);
      // It now lives by the session's profile, its clock from the session's start.
      await this.expiry.assignForRecording(recordingId);
    });
    // A learner of that session may have opted out of video (POLICIES §4).
    await this.optOuts.applyToRecording(recordingId);
    return this.get(recordingId, actorId);
  }

  private async views(where: string, params: unknown[], limit = 100): Promise<RecordingView[]> {
    const recordings = await this.sql.rows(
      `SELECT r.id, r.zoom_meeting_uuid, r.zoom_meeting_id, r.session_id, r.policy_profile, r.status, r.started_at, r.zoom_cloud_state
       FROM recordings r WHERE ${where} ORDER BY r.started_at DESC LIMIT ${Number(limit)}`,
      params,
    );
    if (recordings.length === 0) return [];
    const artifacts = await this.sql.rows(
      `SELECT a.id, a.recording_id, a.kind, a.status, a.size_bytes, a.sha256, a.content_type, a.duration_seconds, a.person_id,
              a.expires_at, a.retention_class, a.policy_profile, a.policy_version, a.stored_at, a.deleted_at, a.reason, a.derived_from,
              a.deletion_audit_id, a.deletion_audit_hash, ${heldArtifactSql('a')} AS held
       FROM artifacts a WHERE a.recording_id = ANY($1) ORDER BY a.created_at, a.id`,
      [recordings.map((r: { id: string }) => r.id)],
    );
    const holds: Array<{ recording_id: string; id: string; scope: string; target_id: string; placed_at: Date }> = await this.sql.rows(
      `SELECT r.id AS recording_id, h.id, h.scope, h.target_id, h.placed_at
       FROM recordings r JOIN holds h ON h.released_at IS NULL AND (
         (h.scope = 'recording' AND h.target_id = r.id::text)
         OR (h.scope = 'session' AND h.target_id = r.session_id)
         OR (h.scope = 'person' AND EXISTS (SELECT 1 FROM session_participants sp WHERE sp.session_id = r.session_id AND sp.person_id = h.target_id))
         OR (h.scope = 'person' AND EXISTS (SELECT 1 FROM artifacts pa WHERE pa.recording_id = r.id AND pa.person_id = h.target_id)))
       WHERE r.id = ANY($1) ORDER BY h.placed_at, h.id`,
      [recordings.map((r: { id: string }) => r.id)],
    );
    return recordings.map((r: Record<string, unknown>) => ({
      id: r.id as string,
      zoomMeetingUuid: r.zoom_meeting_uuid as string,
      zoomMeetingId: r.zoom_meeting_id as string,
      sessionId: r.session_id as string | null,
      policyProfile: r.policy_profile as string,
      status: r.status as string,
      startedAt: (r.started_at as Date).toISOString(),
      zoomCloudState: r.zoom_cloud_state as string,
      holds: holds
        .filter((h) => h.recording_id === r.id)
        .map((h) => ({ id: h.id, scope: h.scope, targetId: h.target_id, placedAt: h.placed_at.toISOString() })),
      artifacts: artifacts
        .filter((a: { recording_id: string }) => a.recording_id === r.id)
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- typed by the catalogue repository
        .map((a: Record<string, any>) => ({
          id: a.id,
          kind: a.kind,
          status: a.status,
          sizeBytes: a.size_bytes === null ? null : Number(a.size_bytes),
          sha256: a.sha256,
          contentType: a.content_type,
          durationSeconds: a.duration_seconds,
          personId: a.person_id,
          expiresAt: iso(a.expires_at as Date | null),
          retentionClass: a.retention_class,
          policyProfile: a.policy_profile,
          policyVersion: a.policy_version,
          held: a.held,
          storedAt: iso(a.stored_at as Date | null),
          deletedAt: iso(a.deleted_at as Date | null),
          reason: a.reason,
          derivedFrom: a.derived_from,
          auditEntryId: a.deletion_audit_id === null ? null : String(a.deletion_audit_id),
          auditHash: a.deletion_audit_hash,
        })),
    }));
  }
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
