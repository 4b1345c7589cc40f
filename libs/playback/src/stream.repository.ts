import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';
import type { MediaInfo } from '@lib/database';

/** A source of a stream (a video, or an audio-only recording's audio), locked while it is read. */
export interface StreamSourceRow {
  id: string;
  kind: 'video' | 'audio';
  status: string;
  recording_id: string;
  storage_key: string;
  size_bytes: string | null;
  media_info: MediaInfo | null;
  delete_requested_at: Date | null;
  retention_class: string | null;
  expires_at: Date | null;
  storage_prefix: string;
}

export interface StreamRow {
  id: string;
  status: string;
  storage_key: string;
}

/** Videos that keep a recording from being streamed as audio: any not (or not yet) on its way out. */
const LIVE_VIDEO = `v.kind = 'video' AND v.status IN ('pending', 'stored') AND v.delete_requested_at IS NULL`;

/** The rows of the `package-stream` job: its source, the stream artifact, and what still needs one. */
@Injectable()
export class StreamRepository {
  constructor(private readonly sql: Sql) {}

  /** The source, locked (`FOR UPDATE`) to the transaction's end: a deletion of it waits, or we see it. */
  lockSource(id: string): Promise<StreamSourceRow | null> {
    return this.sql.one<StreamSourceRow>(
      `SELECT a.id, a.kind, a.status, a.recording_id, a.storage_key, a.size_bytes, a.media_info, a.delete_requested_at,
              a.retention_class, a.expires_at, r.storage_prefix
       FROM artifacts a JOIN recordings r ON r.id = a.recording_id
       WHERE a.id = $1 AND a.kind IN ('video', 'audio') FOR UPDATE OF a`,
      [id],
    );
  }

  /** Whether the recording has a video to stream (then its audio is not streamed on its own). */
  async hasLiveVideo(recordingId: string): Promise<boolean> {
    return (await this.sql.one(`SELECT 1 FROM artifacts v WHERE v.recording_id = $1 AND ${LIVE_VIDEO} LIMIT 1`, [recordingId])) !== null;
  }

  /** The stream made from `sourceId`, whatever its status (there is at most one), locked. */
  streamOf(sourceId: string): Promise<StreamRow | null> {
    return this.sql.one<StreamRow>(`SELECT id, status, storage_key FROM artifacts WHERE kind = 'stream' AND derived_from = $1 FOR UPDATE`, [sourceId]);
  }

  /** A new pending stream with the source's retention (the same class, anchor, profile and expiry). */
  async createPending(sourceId: string, storageKey: string, wrappedKey: string, audioOnly: boolean): Promise<StreamRow> {
    const row = await this.sql.one<StreamRow>(
      `INSERT INTO artifacts (recording_id, kind, derived_from, storage_key, content_type, status, stream_key_wrapped, stream_audio_only,
         retention_class, policy_profile, policy_version, retention_anchor_at, expires_at, recording_start, recording_end)
       SELECT recording_id, 'stream', id, $2, 'application/vnd.apple.mpegurl', 'pending', $3, $4,
         retention_class, policy_profile, policy_version, retention_anchor_at, expires_at, recording_start, recording_end
       FROM artifacts WHERE id = $1
       RETURNING id, status, storage_key`,
      [sourceId, storageKey, wrappedKey, audioOnly],
    );
    if (!row) throw new Error(`source artifact ${sourceId} vanished under its lock`);
    return row;
  }

  /** A stream left pending (a crash) or failed is made again from scratch, under a fresh key. */
  async restart(streamId: string, wrappedKey: string, audioOnly: boolean): Promise<void> {
    await this.sql.run(
      `UPDATE artifacts SET status = 'pending', stream_key_wrapped = $2, stream_audio_only = $3, reason = NULL, failed_at = NULL,
         attempts = attempts + 1, updated_at = now()
       WHERE id = $1 AND status IN ('pending', 'failed')`,
      [streamId, wrappedKey, audioOnly],
    );
  }

  /** Stored, if still pending (an opt-out may have discarded it meanwhile): answers whether it was. */
  async markStored(streamId: string, f: { bytes: number; at: Date; durationSeconds: number | null }): Promise<boolean> {
    const rows = await this.sql.rows<{ id: string }>(
      `UPDATE artifacts SET status = 'stored', size_bytes = $2, stored_at = $3, duration_seconds = $4, updated_at = now()
       WHERE id = $1 AND status = 'pending' RETURNING id`,
      [streamId, f.bytes, f.at, f.durationSeconds],
    );
    return rows.length > 0;
  }

  async markFailed(streamId: string, reason: string, at: Date): Promise<boolean> {
    const rows = await this.sql.rows<{ id: string }>(
      `UPDATE artifacts SET status = 'failed', reason = $2, failed_at = $3, updated_at = now()
       WHERE id = $1 AND status = 'pending' RETURNING id`,
      [streamId, reason, at],
    );
    return rows.length > 0;
  }

  /**
   * Stored sources with no stream, or one a crash left pending: every video not on its way out, and
   * the audio of recordings with no live video. A stream that failed, was removed (opt-out) or is
   * stored is never remade here.
   */
  async sourcesWithoutStream(limit: number): Promise<string[]> {
    const rows = await this.sql.rows<{ id: string }>(
      `SELECT a.id FROM artifacts a
       WHERE a.kind IN ('video', 'audio') AND a.status = 'stored' AND a.delete_requested_at IS NULL AND a.recording_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM artifacts s WHERE s.kind = 'stream' AND s.derived_from = a.id AND s.status <> 'pending')
         AND (a.kind = 'video' OR NOT EXISTS (SELECT 1 FROM artifacts v WHERE v.recording_id = a.recording_id AND ${LIVE_VIDEO}))
       ORDER BY a.stored_at, a.id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }
}
