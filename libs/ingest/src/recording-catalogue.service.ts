import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditTrail } from '@lib/audit';
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
  storedAt: string | null;
  deletedAt: string | null;
  reason: string | null;
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
  artifacts: ArtifactView[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** What reviewers and admins may read about recordings. Every read of one recording is audited. */
@Injectable()
export class RecordingCatalogue {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly sessions: SessionRegistry,
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
    await this.dataSource.transaction(async (m) => {
      const session: Array<{ policy_profile: string }> = await m.query('SELECT policy_profile FROM sessions WHERE id = $1', [sessionId]);
      if (session.length === 0) throw new RecordingNotFound();
      // TypeORM answers an UPDATE on PostgreSQL with [returned rows, row count].
      const [updated]: [unknown[], number] = await m.query(
        'UPDATE recordings SET session_id = $2, policy_profile = $3, updated_at = now() WHERE id = $1 RETURNING id',
        [recordingId, sessionId, session[0].policy_profile],
      );
      if (updated.length === 0) throw new RecordingNotFound();
      await this.audit.append({ actorId, action: 'recording.linked', subjectType: 'recording', subjectId: recordingId, details: { sessionId } }, m);
      await this.sessions.matchParticipantAudio(recordingId, sessionId, m);
    });
    return this.get(recordingId, actorId);
  }

  private async views(where: string, params: unknown[], limit = 100): Promise<RecordingView[]> {
    const recordings = await this.dataSource.query(
      `SELECT r.id, r.zoom_meeting_uuid, r.zoom_meeting_id, r.session_id, r.policy_profile, r.status, r.started_at, r.zoom_cloud_state
       FROM recordings r WHERE ${where} ORDER BY r.started_at DESC LIMIT ${Number(limit)}`,
      params,
    );
    if (recordings.length === 0) return [];
    const artifacts = await this.dataSource.query(
      `SELECT id, recording_id, kind, status, size_bytes, sha256, content_type, duration_seconds, person_id, expires_at,
              stored_at, deleted_at, reason
       FROM artifacts WHERE recording_id = ANY($1) ORDER BY created_at, id`,
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
      artifacts: artifacts
        .filter((a: { recording_id: string }) => a.recording_id === r.id)
        .map((a: Record<string, unknown>) => ({
          id: a.id,
          kind: a.kind,
          status: a.status,
          sizeBytes: a.size_bytes === null ? null : Number(a.size_bytes),
          sha256: a.sha256,
          contentType: a.content_type,
          durationSeconds: a.duration_seconds,
          personId: a.person_id,
          expiresAt: iso(a.expires_at as Date | null),
          storedAt: iso(a.stored_at as Date | null),
          deletedAt: iso(a.deleted_at as Date | null),
          reason: a.reason,
        })),
    }));
  }
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
