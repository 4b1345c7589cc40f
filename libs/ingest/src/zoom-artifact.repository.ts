import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';
import type { ArtifactKind, MediaInfo } from '@lib/database';
import type { PlannedArtifact } from './zoom-files';

/** One artifact to archive, with what its download needs from its recording. */
export interface ArchiveTarget {
  id: string;
  recordingId: string;
  kind: ArtifactKind;
  storageKey: string;
  contentType: string;
  expectedSize: number | null;
  sourceUrl: string;
  zoomFileStatus: string | null;
  status: string;
  downloadToken: string | null;
  meetingUuid: string;
  retentionClass: string | null;
  expiresAt: Date | null;
  /** Audio extracted from this video (video opt-out without an M4A), not a Zoom file of its own. */
  derivedFrom: string | null;
}

interface ArchiveTargetRow {
  id: string;
  recording_id: string;
  kind: ArtifactKind;
  storage_key: string;
  content_type: string | null;
  expected_size: string | null;
  source_url: string;
  zoom_file_status: string | null;
  status: string;
  retention_class: string | null;
  expires_at: Date | null;
  derived_from: string | null;
  download_token: string | null;
  zoom_meeting_uuid: string;
}

/** The video an audio artifact is derived from. */
export interface VideoSource {
  status: string;
  storageKey: string;
  /** Bytes of the video: Zoom's announced size, or what we stored. */
  size: number | null;
}

export interface StoredFacts {
  bytes: number;
  sha256: string;
  media: MediaInfo | null;
  at: Date;
  /** Stored, with a remark (ffprobe could not read the media), or null. */
  reason: string | null;
}

/** One Zoom file as a delivery announces it, with where it will be stored and whose it is. */
export interface AnnouncedFile {
  recordingId: string;
  planned: PlannedArtifact;
  storageKey: string;
  personId: string | null;
}

export interface AnnouncedArtifact {
  id: string;
  status: string;
  inserted: boolean;
}

/** Artifacts of Zoom files as ingest announces and archives them. */
@Injectable()
export class ZoomArtifactRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * One Zoom file, one artifact: a repeat of a stored file changes nothing; a pending one takes the
   * newest link; a failed one is re-armed unless its reason matches `finalReasons`. Every file of
   * the deliveries being ingested together in one statement (rows locked in recording and key
   * order), answers in their order. A file key twice for one recording (Zoom has no reason to, but
   * the body is theirs) would make one statement touch a row twice: then the files are upserted
   * one by one, in order.
   */
  async upsertAnnouncedMany(files: readonly AnnouncedFile[], finalReasons: RegExp): Promise<AnnouncedArtifact[]> {
    if (files.length === 0) return [];
    const fileKey = (f: AnnouncedFile) => `${f.recordingId}/${f.planned.zoomFileKey}`;
    if (new Set(files.map(fileKey)).size < files.length) {
      const rows: AnnouncedArtifact[] = [];
      for (const file of files) rows.push(...(await this.upsertAnnouncedMany([file], finalReasons)));
      return rows;
    }
    const rows = await this.sql.rows<AnnouncedArtifact & { recording_id: string; zoom_file_key: string }>(
      `INSERT INTO artifacts AS a (recording_id, kind, zoom_file_key, zoom_file_type, zoom_recording_type, zoom_file_status,
         file_extension, source_url, recording_start, recording_end, person_id, storage_key, content_type, expected_size, status,
         participant_label)
       SELECT i.recording_id, i.kind, i.zoom_file_key, i.zoom_file_type, i.zoom_recording_type, i.zoom_file_status, i.file_extension, i.source_url,
              i.recording_start, i.recording_end, i.person_id, i.storage_key, i.content_type, i.expected_size, 'pending', i.participant_label
         FROM jsonb_to_recordset($1::jsonb) AS i(recording_id uuid, kind text, zoom_file_key text, zoom_file_type text, zoom_recording_type text,
              zoom_file_status text, file_extension text, source_url text, recording_start timestamptz, recording_end timestamptz,
              person_id text, storage_key text, content_type text, expected_size bigint, participant_label text)
        ORDER BY i.recording_id, i.zoom_file_key
       ON CONFLICT (recording_id, zoom_file_key) DO UPDATE SET
         source_url = CASE WHEN a.status IN ('pending', 'failed') THEN EXCLUDED.source_url ELSE a.source_url END,
         zoom_file_status = CASE WHEN a.status IN ('pending', 'failed') THEN EXCLUDED.zoom_file_status ELSE a.zoom_file_status END,
         expected_size = COALESCE(a.expected_size, EXCLUDED.expected_size),
         status = CASE WHEN a.status = 'failed' AND (a.reason IS NULL OR a.reason !~ $2) THEN 'pending' ELSE a.status END,
         reason = CASE WHEN a.status = 'failed' AND (a.reason IS NULL OR a.reason !~ $2) THEN NULL ELSE a.reason END,
         updated_at = now()
       RETURNING a.recording_id, a.zoom_file_key, a.id, a.status, (xmax = 0) AS inserted`,
      [
        JSON.stringify(
          files.map(({ recordingId, planned: p, storageKey, personId }) => ({
            recording_id: recordingId,
            kind: p.kind,
            zoom_file_key: p.zoomFileKey,
            zoom_file_type: p.zoomFileType,
            zoom_recording_type: p.zoomRecordingType,
            zoom_file_status: p.zoomFileStatus,
            file_extension: p.fileExtension,
            source_url: p.sourceUrl,
            recording_start: p.recordingStart,
            recording_end: p.recordingEnd,
            person_id: personId,
            storage_key: storageKey,
            content_type: p.contentType,
            expected_size: p.expectedSize,
            // Kept so the track can still be matched to a person when its session is registered later; erasure clears it.
            participant_label: p.participantLabel,
          })),
        ),
        finalReasons.source,
      ],
    );
    const byKey = new Map(rows.map(({ recording_id, zoom_file_key, ...row }) => [`${recording_id}/${zoom_file_key}`, row]));
    return files.map((f) => {
      const row = byKey.get(fileKey(f));
      if (!row) throw new Error('artifact upsert returned no row');
      return row;
    });
  }

  async archiveTarget(id: string): Promise<ArchiveTarget | null> {
    const r = await this.sql.one<ArchiveTargetRow>(
      `SELECT a.id, a.recording_id, a.kind, a.storage_key, a.content_type, a.expected_size, a.source_url, a.zoom_file_status,
              a.status, a.retention_class, a.expires_at, a.derived_from, r.download_token, r.zoom_meeting_uuid
       FROM artifacts a JOIN recordings r ON r.id = a.recording_id WHERE a.id = $1`,
      [id],
    );
    if (!r) return null;
    return {
      id: r.id,
      recordingId: r.recording_id,
      kind: r.kind,
      storageKey: r.storage_key,
      contentType: r.content_type ?? 'application/octet-stream',
      expectedSize: r.expected_size === null ? null : Number(r.expected_size),
      sourceUrl: r.source_url,
      zoomFileStatus: r.zoom_file_status,
      status: r.status,
      downloadToken: r.download_token,
      meetingUuid: r.zoom_meeting_uuid,
      retentionClass: r.retention_class,
      expiresAt: r.expires_at,
      derivedFrom: r.derived_from,
    };
  }

  async videoSource(id: string): Promise<VideoSource | null> {
    const r = await this.sql.one<{ status: string; storage_key: string; size_bytes: string | null; expected_size: string | null }>(
      'SELECT status, storage_key, size_bytes, expected_size FROM artifacts WHERE id = $1',
      [id],
    );
    if (!r) return null;
    const size = r.status === 'stored' ? r.size_bytes : r.expected_size;
    return { status: r.status, storageKey: r.storage_key, size: size === null ? null : Number(size) };
  }

  /** Counts an attempt at archiving the file; answers how many there have been, this one included. */
  async countAttempt(id: string): Promise<number> {
    const row = await this.sql.one<{ attempts: number }>('UPDATE artifacts SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts', [id]);
    return row?.attempts ?? 0;
  }

  /** Stored, unless it stopped being pending meanwhile (discarded, deleted): answers whether it was. */
  async markStored(id: string, f: StoredFacts): Promise<boolean> {
    const rows = await this.sql.rows<{ id: string }>(
      `UPDATE artifacts SET status = 'stored', size_bytes = $2, sha256 = $3, media_info = $4, duration_seconds = $5,
         stored_at = $6, reason = $7, updated_at = now()
       WHERE id = $1 AND status = 'pending' RETURNING id`,
      [id, f.bytes, f.sha256, f.media ? JSON.stringify(f.media) : null, f.media?.durationSeconds ?? null, f.at, f.reason],
    );
    return rows.length > 0;
  }

  /** Failed for good, if still pending: answers whether it was. */
  async markFailed(id: string, reason: string, at: Date): Promise<boolean> {
    const rows = await this.sql.rows<{ id: string }>(
      `UPDATE artifacts SET status = 'failed', reason = $2, failed_at = $3, updated_at = now()
       WHERE id = $1 AND status = 'pending' RETURNING id`,
      [id, reason, at],
    );
    return rows.length > 0;
  }

  /** A remark on a pending file (retrying, not ready yet). */
  async note(id: string, reason: string): Promise<void> {
    await this.sql.run(`UPDATE artifacts SET reason = $2, updated_at = now() WHERE id = $1 AND status = 'pending'`, [id, reason]);
  }

  /** A renewed link for a file still pending. */
  async renewLink(recordingId: string, zoomFileKey: string, url: string, zoomFileStatus: string | null, size: number | null): Promise<void> {
    await this.sql.run(
      `UPDATE artifacts SET source_url = $3, zoom_file_status = COALESCE($4, zoom_file_status),
         expected_size = COALESCE(expected_size, $5), updated_at = now()
       WHERE recording_id = $1 AND zoom_file_key = $2 AND status = 'pending'`,
      [recordingId, zoomFileKey, url, zoomFileStatus, size],
    );
  }

  /** Pending Zoom files untouched since `before`: their job was probably lost. */
  async stalePending(before: Date, limit: number): Promise<string[]> {
    const rows = await this.sql.rows<{ id: string }>(
      `SELECT id FROM artifacts WHERE status = 'pending' AND zoom_file_key IS NOT NULL AND updated_at < $1
       ORDER BY updated_at LIMIT $2`,
      [before, limit],
    );
    return rows.map((r) => r.id);
  }
}
