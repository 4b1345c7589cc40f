import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';

/** What playback needs of a recording: its session and profile. */
export interface WatchedRecording {
  id: string;
  sessionId: string | null;
  profile: string;
}

/** The stream a recording plays: the newest stored `stream` artifact (a folder under storage_key). */
export interface StoredStream {
  artifactId: string;
  storageKey: string;
  keyWrapped: string | null;
  audioOnly: boolean;
}

@Injectable()
export class PlaybackRecords {
  constructor(private readonly sql: Sql) {}

  async recording(recordingId: string): Promise<WatchedRecording | null> {
    // id::text: a malformed id is simply not found, not a cast error.
    const row = await this.sql.one<{ id: string; session_id: string | null; policy_profile: string }>(
      `SELECT id, session_id, policy_profile FROM recordings WHERE id::text = $1`,
      [recordingId],
    );
    return row ? { id: row.id, sessionId: row.session_id, profile: row.policy_profile } : null;
  }

  async storedStream(recordingId: string): Promise<StoredStream | null> {
    const row = await this.sql.one<{ id: string; storage_key: string; stream_key_wrapped: string | null; stream_audio_only: boolean | null }>(
      `SELECT id, storage_key, stream_key_wrapped, stream_audio_only FROM artifacts
        WHERE recording_id::text = $1 AND kind = 'stream' AND status = 'stored'
        ORDER BY stored_at DESC NULLS LAST, created_at DESC, id DESC LIMIT 1`,
      [recordingId],
    );
    return row ? { artifactId: row.id, storageKey: row.storage_key, keyWrapped: row.stream_key_wrapped, audioOnly: row.stream_audio_only === true } : null;
  }

  /** True when the recording's video is gone (discarded by an opt-out, or deleted) and none is stored. */
  async videoWithheld(recordingId: string): Promise<boolean> {
    const row = await this.sql.one<{ withheld: boolean }>(
      `SELECT bool_or(status IN ('discarded', 'deleted')) AND NOT bool_or(status = 'stored') AS withheld
         FROM artifacts WHERE recording_id::text = $1 AND kind = 'video'`,
      [recordingId],
    );
    return row?.withheld === true;
  }

  /** The person's roles on the session's roster (tutor, learner, parent). */
  async rosterRoles(sessionId: string, personId: string): Promise<string[]> {
    const rows = await this.sql.rows<{ role: string }>(`SELECT role FROM session_participants WHERE session_id = $1 AND person_id = $2`, [sessionId, personId]);
    return rows.map((r) => r.role);
  }
}
