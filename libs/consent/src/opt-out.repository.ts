import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';
import { OptOutArtifact } from './video-opt-out';

export interface OptOutRecordingRow {
  session_id: string | null;
  storage_prefix: string;
}

interface OptOutArtifactRow {
  id: string;
  kind: string;
  status: string;
  derived_from: string | null;
  deletion_requested: boolean;
}

/** The rows a video opt-out (and a withdrawn images consent) reads and writes. */
@Injectable()
export class OptOutRecords {
  constructor(private readonly sql: Sql) {}

  /** Recordings of every session where the person is a learner. */
  async recordingsOfLearner(personId: string): Promise<string[]> {
    const rows = await this.sql.rows<{ id: string }>(
      `SELECT DISTINCT r.id FROM recordings r JOIN session_participants sp ON sp.session_id = r.session_id
       WHERE sp.person_id = $1 AND sp.role = 'learner'`,
      [personId],
    );
    return rows.map((r) => r.id);
  }

  /** Recordings whose video an opt-out in force should have removed but has not (a lost job). */
  async recordingsMissingOptOut(limit: number): Promise<string[]> {
    const rows = await this.sql.rows<{ id: string }>(
      `WITH opted_out AS (
         SELECT person_id FROM (
           SELECT DISTINCT ON (person_id) person_id, decision FROM consent_decisions
           WHERE purpose = 'video_recording' ORDER BY person_id, decided_at DESC, id DESC) latest
         WHERE decision = 'withdraw')
       SELECT DISTINCT r.id FROM recordings r
       JOIN session_participants sp ON sp.session_id = r.session_id AND sp.role = 'learner'
       JOIN opted_out o ON o.person_id = sp.person_id
       WHERE EXISTS (SELECT 1 FROM artifacts a WHERE a.recording_id = r.id AND a.kind IN ('video', 'stream')
                     AND a.status IN ('pending', 'stored') AND a.delete_requested_at IS NULL)
       LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /** The recording, locked: serialises an opt-out with ingest of a repeated delivery of it. */
  lockRecording(recordingId: string): Promise<OptOutRecordingRow | null> {
    return this.sql.one<OptOutRecordingRow>('SELECT session_id, storage_prefix FROM recordings WHERE id = $1 FOR UPDATE', [recordingId]);
  }

  /** The learners of each recording's session, by recording id (recordings without a session or learners absent). */
  async learnersOfRecordings(recordingIds: readonly string[]): Promise<Map<string, string[]>> {
    const rows = await this.sql.rows<{ recording_id: string; person_id: string }>(
      `SELECT r.id AS recording_id, sp.person_id FROM recordings r
       JOIN session_participants sp ON sp.session_id = r.session_id AND sp.role = 'learner'
       WHERE r.id = ANY($1::uuid[])`,
      [recordingIds],
    );
    const out = new Map<string, string[]>();
    for (const r of rows) {
      const learners = out.get(r.recording_id) ?? [];
      learners.push(r.person_id);
      out.set(r.recording_id, learners);
    }
    return out;
  }

  async learnersOf(sessionId: string): Promise<string[]> {
    const rows = await this.sql.rows<{ person_id: string }>(
      `SELECT person_id FROM session_participants WHERE session_id = $1 AND role = 'learner' ORDER BY person_id`,
      [sessionId],
    );
    return rows.map((r) => r.person_id);
  }

  async artifactsOf(recordingId: string): Promise<OptOutArtifact[]> {
    const rows = await this.sql.rows<OptOutArtifactRow>(
      `SELECT id, kind, status, derived_from, delete_requested_at IS NOT NULL AS deletion_requested FROM artifacts WHERE recording_id = $1`,
      [recordingId],
    );
    return rows.map((a) => ({ id: a.id, kind: a.kind, status: a.status, derivedFrom: a.derived_from, deletionRequested: a.deletion_requested }));
  }

  /** Of these artifacts, those now `discarded` (a held pending file is not: it waits for its hold). */
  async discardedAmong(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.sql.rows<{ id: string }>(`SELECT id FROM artifacts WHERE id = ANY($1) AND status = 'discarded'`, [ids]);
    return rows.map((r) => r.id);
  }

  /** An audio artifact to be extracted from the video; null when it exists already. */
  async createDerivedAudio(videoId: string, storageKey: string): Promise<string | null> {
    const row = await this.sql.one<{ id: string }>(
      `INSERT INTO artifacts (recording_id, kind, zoom_file_key, zoom_file_type, zoom_recording_type, zoom_file_status, file_extension,
         source_url, recording_start, recording_end, storage_key, content_type, status, derived_from)
       SELECT recording_id, 'audio', 'audio-from:' || zoom_file_key, NULL, 'audio_from_video', zoom_file_status, 'M4A',
         source_url, recording_start, recording_end, $2, 'audio/mp4', 'pending', id
       FROM artifacts WHERE id = $1 AND zoom_file_key IS NOT NULL
       ON CONFLICT (recording_id, zoom_file_key) DO NOTHING RETURNING id`,
      [videoId, storageKey],
    );
    return row?.id ?? null;
  }

  /** Images picturing the person that are kept and not yet on their way out. */
  async imagesPicturing(personId: string): Promise<string[]> {
    const rows = await this.sql.rows<{ id: string }>(
      `SELECT id FROM artifacts WHERE kind = 'image' AND $1 = ANY(pictured_person_ids)
       AND status IN ('pending', 'stored') AND delete_requested_at IS NULL`,
      [personId],
    );
    return rows.map((r) => r.id);
  }
}
