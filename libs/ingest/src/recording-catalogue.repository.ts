import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';
import { heldArtifactSql } from '@lib/retention';

export interface CatalogueRecordingRow {
  id: string;
  zoom_meeting_uuid: string;
  zoom_meeting_id: string;
  session_id: string | null;
  policy_profile: string;
  status: string;
  started_at: Date;
  zoom_cloud_state: string;
}

export interface CatalogueArtifactRow {
  id: string;
  recording_id: string;
  kind: string;
  status: string;
  size_bytes: string | null;
  sha256: string | null;
  content_type: string | null;
  duration_seconds: number | null;
  person_id: string | null;
  expires_at: Date | null;
  retention_class: string | null;
  policy_profile: string | null;
  policy_version: number | null;
  stored_at: Date | null;
  deleted_at: Date | null;
  reason: string | null;
  derived_from: string | null;
  deletion_audit_id: string | null;
  deletion_audit_hash: string | null;
  held: boolean;
}

const RECORDING_COLUMNS = 'r.id, r.zoom_meeting_uuid, r.zoom_meeting_id, r.session_id, r.policy_profile, r.status, r.started_at, r.zoom_cloud_state';

/** What the catalogue reads about recordings, their artifacts and the holds on them. */
@Injectable()
export class RecordingCatalogueRepository {
  constructor(private readonly sql: Sql) {}

  byId(id: string): Promise<CatalogueRecordingRow[]> {
    return this.sql.rows<CatalogueRecordingRow>(`SELECT ${RECORDING_COLUMNS} FROM recordings r WHERE r.id = $1`, [id]);
  }

  byMeetingUuid(zoomMeetingUuid: string, limit: number): Promise<CatalogueRecordingRow[]> {
    return this.sql.rows<CatalogueRecordingRow>(
      `SELECT ${RECORDING_COLUMNS} FROM recordings r WHERE r.zoom_meeting_uuid = $1 ORDER BY r.started_at DESC LIMIT $2`,
      [zoomMeetingUuid, limit],
    );
  }

  unmatched(limit: number): Promise<CatalogueRecordingRow[]> {
    return this.sql.rows<CatalogueRecordingRow>(
      `SELECT ${RECORDING_COLUMNS} FROM recordings r WHERE r.session_id IS NULL ORDER BY r.started_at DESC LIMIT $1`,
      [limit],
    );
  }

  artifactsOf(recordingIds: string[]): Promise<CatalogueArtifactRow[]> {
    return this.sql.rows<CatalogueArtifactRow>(
      `SELECT a.id, a.recording_id, a.kind, a.status, a.size_bytes, a.sha256, a.content_type, a.duration_seconds, a.person_id,
              a.expires_at, a.retention_class, a.policy_profile, a.policy_version, a.stored_at, a.deleted_at, a.reason, a.derived_from,
              a.deletion_audit_id::text AS deletion_audit_id, a.deletion_audit_hash, ${heldArtifactSql('a')} AS held
       FROM artifacts a WHERE a.recording_id = ANY($1) ORDER BY a.created_at, a.id`,
      [recordingIds],
    );
  }

  /** Ties the recording to the session and its profile: answers whether the recording exists. */
  async linkToSession(recordingId: string, sessionId: string, policyProfile: string): Promise<boolean> {
    const rows = await this.sql.rows<{ id: string }>(
      'UPDATE recordings SET session_id = $2, policy_profile = $3, updated_at = now() WHERE id = $1 RETURNING id',
      [recordingId, sessionId, policyProfile],
    );
    return rows.length > 0;
  }
}
