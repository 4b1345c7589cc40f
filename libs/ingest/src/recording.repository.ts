import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';

export type RecordingStatus = 'archiving' | 'archived' | 'incomplete';
export type ZoomCloudState = 'trashed' | 'deleted' | 'recovered';

/** What a Zoom delivery tells us about a meeting instance's recording. */
export interface ZoomRecordingFacts {
  zoomMeetingUuid: string;
  zoomMeetingId: string;
  zoomAccountId: string | null;
  zoomHostId: string | null;
  sessionId: string | null;
  policyProfile: string;
  startedAt: Date;
  durationMinutes: number | null;
  storagePrefix: string;
  downloadToken: string | null;
}

export interface UpsertedRecording {
  id: string;
  sessionId: string | null;
  storagePrefix: string;
  inserted: boolean;
}

export interface CloudCopyRequest {
  id: string;
  action: string | null;
  requestedAt: Date | null;
}

export interface CloudCopyCandidate {
  zoomMeetingUuid: string;
  status: RecordingStatus;
  /** Zoom files not (or not verifiably) in our bucket. */
  unverified: number;
}

/** Recordings as ingest writes them: one row per Zoom meeting instance. */
@Injectable()
export class RecordingRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * New meeting instances, or the known ones with a newer token and the longer duration: one
   * statement for several, answers in their order. Each meeting uuid at most once (one statement
   * cannot touch a row twice); rows are locked in uuid order, so two batches sharing meetings wait
   * for each other instead of deadlocking.
   */
  async upsertManyFromZoom(facts: readonly ZoomRecordingFacts[]): Promise<UpsertedRecording[]> {
    if (new Set(facts.map((f) => f.zoomMeetingUuid)).size < facts.length) throw new Error('a meeting instance twice in one recording upsert');
    const rows = await this.sql.rows<{ zoom_meeting_uuid: string; id: string; session_id: string | null; storage_prefix: string; inserted: boolean }>(
      `INSERT INTO recordings AS r (zoom_meeting_uuid, zoom_meeting_id, zoom_account_id, zoom_host_id, session_id,
         policy_profile, started_at, duration_minutes, status, storage_prefix, download_token)
       SELECT i.zoom_meeting_uuid, i.zoom_meeting_id, i.zoom_account_id, i.zoom_host_id, i.session_id, i.policy_profile,
              i.started_at, i.duration_minutes, 'archiving', i.storage_prefix, i.download_token
         FROM jsonb_to_recordset($1::jsonb) AS i(zoom_meeting_uuid text, zoom_meeting_id text, zoom_account_id text, zoom_host_id text,
              session_id text, policy_profile text, started_at timestamptz, duration_minutes int, storage_prefix text, download_token text)
        ORDER BY i.zoom_meeting_uuid
       ON CONFLICT (zoom_meeting_uuid) DO UPDATE SET
         download_token = COALESCE(EXCLUDED.download_token, r.download_token),
         duration_minutes = GREATEST(r.duration_minutes, EXCLUDED.duration_minutes),
         updated_at = now()
       RETURNING r.zoom_meeting_uuid, r.id, r.session_id, r.storage_prefix, (xmax = 0) AS inserted`,
      [
        JSON.stringify(
          facts.map((f) => ({
            zoom_meeting_uuid: f.zoomMeetingUuid,
            zoom_meeting_id: f.zoomMeetingId,
            zoom_account_id: f.zoomAccountId,
            zoom_host_id: f.zoomHostId,
            session_id: f.sessionId,
            policy_profile: f.policyProfile,
            started_at: f.startedAt,
            duration_minutes: f.durationMinutes,
            storage_prefix: f.storagePrefix,
            download_token: f.downloadToken,
          })),
        ),
      ],
    );
    const byUuid = new Map(rows.map((r) => [r.zoom_meeting_uuid, { id: r.id, sessionId: r.session_id, storagePrefix: r.storage_prefix, inserted: r.inserted }]));
    return facts.map((f) => {
      const row = byUuid.get(f.zoomMeetingUuid);
      if (!row) throw new Error('recording upsert returned no row');
      return row;
    });
  }

  /** Their status back to archiving (a delivery brought files to archive). */
  async markArchiving(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.sql.run(`UPDATE recordings SET status = 'archiving', updated_at = now() WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /** Locks the recording of a meeting instance (a cloud-copy change is being noted). */
  async lockByMeetingUuid(zoomMeetingUuid: string): Promise<CloudCopyRequest | null> {
    const row = await this.sql.one<{ id: string; cloud_copy_action: string | null; cloud_copy_requested_at: Date | null }>(
      'SELECT id, cloud_copy_action, cloud_copy_requested_at FROM recordings WHERE zoom_meeting_uuid = $1 FOR UPDATE',
      [zoomMeetingUuid],
    );
    return row && { id: row.id, action: row.cloud_copy_action, requestedAt: row.cloud_copy_requested_at };
  }

  async noteCloudState(id: string, state: ZoomCloudState, at: Date): Promise<void> {
    await this.sql.run('UPDATE recordings SET zoom_cloud_state = $2, zoom_cloud_changed_at = $3, updated_at = now() WHERE id = $1', [id, state, at]);
  }

  /**
   * Recomputes the status from its Zoom files, and drops the download token once no file of the
   * recording is pending (nothing left to download). Call inside a transaction: the row lock is
   * taken by a statement of its own, so the update's snapshot sees any delivery that committed new
   * pending files (and a fresh token) while we waited for it.
   */
  async settle(id: string): Promise<RecordingStatus | null> {
    await this.sql.run('SELECT id FROM recordings WHERE id = $1 FOR UPDATE', [id]);
    const row = await this.sql.one<{ status: RecordingStatus }>(
      `UPDATE recordings r SET status = CASE
         WHEN EXISTS (SELECT 1 FROM artifacts a WHERE a.recording_id = r.id AND a.zoom_file_key IS NOT NULL AND a.status = 'pending') THEN 'archiving'
         WHEN EXISTS (SELECT 1 FROM artifacts a WHERE a.recording_id = r.id AND a.zoom_file_key IS NOT NULL AND a.status = 'failed') THEN 'incomplete'
         ELSE 'archived' END,
         download_token = CASE WHEN EXISTS (SELECT 1 FROM artifacts a WHERE a.recording_id = r.id AND a.status = 'pending')
           THEN r.download_token END,
         updated_at = now()
       WHERE r.id = $1 RETURNING r.status`,
      [id],
    );
    return row?.status ?? null;
  }

  /** A fresh token from the Zoom API (the delivery's one expired or was refused). */
  async replaceDownloadToken(id: string, token: string): Promise<void> {
    await this.sql.run('UPDATE recordings SET download_token = $2, updated_at = now() WHERE id = $1', [id, token]);
  }

  async cloudCopyCandidate(id: string): Promise<CloudCopyCandidate | null> {
    const row = await this.sql.one<{ zoom_meeting_uuid: string; status: RecordingStatus; unverified: number }>(
      `SELECT r.zoom_meeting_uuid, r.status,
         (SELECT count(*)::int FROM artifacts a WHERE a.recording_id = r.id AND a.zoom_file_key IS NOT NULL
            AND (a.status NOT IN ('stored', 'discarded', 'deleted') OR (a.status = 'stored' AND a.sha256 IS NULL))) AS unverified
       FROM recordings r WHERE r.id = $1`,
      [id],
    );
    return row && { zoomMeetingUuid: row.zoom_meeting_uuid, status: row.status, unverified: row.unverified };
  }

  async markCloudCopyRequested(id: string, action: string, at: Date): Promise<void> {
    await this.sql.run('UPDATE recordings SET cloud_copy_action = $2, cloud_copy_requested_at = $3 WHERE id = $1', [id, action, at]);
  }
}
