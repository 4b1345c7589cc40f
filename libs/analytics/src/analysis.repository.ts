import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';

/** The kinds of stored file analysis reads. */
export const ANALYSABLE_KINDS = ['transcript', 'chat', 'timeline', 'participant_audio'] as const;
export type AnalysableKind = (typeof ANALYSABLE_KINDS)[number];

export interface RecordingFacts {
  id: string;
  session_id: string | null;
  tutor_id: string | null;
  program: string | null;
  started_at: Date | null;
  duration_seconds: number | null;
}

export interface RosterPersonRow {
  person_id: string;
  display_name: string;
  role: 'tutor' | 'learner' | 'parent';
  children: string[];
}

export interface SourceRow {
  id: string;
  kind: AnalysableKind;
  storage_key: string;
  person_id: string | null;
  participant_label: string | null;
  duration_seconds: number | null;
  stored_at: Date | null;
  /** Going (opt-out, erasure): never analysed, only recorded as seen. */
  delete_requested: boolean;
}

export type SourceOutcome = 'used' | 'not_used' | 'malformed';

/** What analysis reads about a recording, and its bookkeeping of which files it has been through. */
@Injectable()
export class AnalysisRepository {
  constructor(private readonly sql: Sql) {}

  recording(recordingId: string): Promise<RecordingFacts | null> {
    return this.sql.one<RecordingFacts>(
      `SELECT r.id, r.session_id, s.tutor_id, s.program, r.started_at, (r.duration_minutes * 60)::float8 AS duration_seconds
         FROM recordings r LEFT JOIN sessions s ON s.id = r.session_id
        WHERE r.id = $1`,
      [recordingId],
    );
  }

  /** The roster analysis matches names against: erased people are no one's match any more. */
  roster(sessionId: string): Promise<RosterPersonRow[]> {
    return this.sql.rows<RosterPersonRow>(
      `SELECT sp.person_id, p.display_name, sp.role, sp.children
         FROM session_participants sp JOIN people p ON p.id = sp.person_id
        WHERE sp.session_id = $1 AND p.erased_at IS NULL
        ORDER BY sp.role DESC, sp.person_id`,
      [sessionId],
    );
  }

  /** Stored transcripts, chats, timelines and tracks, oldest first. */
  storedSources(recordingId: string): Promise<SourceRow[]> {
    return this.sql.rows<SourceRow>(
      `SELECT id, kind, storage_key, person_id, participant_label, duration_seconds, stored_at,
              delete_requested_at IS NOT NULL AS delete_requested
         FROM artifacts
        WHERE recording_id = $1 AND status = 'stored' AND kind = ANY($2)
        ORDER BY stored_at NULLS LAST, id`,
      [recordingId, ANALYSABLE_KINDS],
    );
  }

  /** Tracks still downloading: audio talk time waits for every track. */
  async pendingTracks(recordingId: string): Promise<number> {
    const row = await this.sql.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM artifacts WHERE recording_id = $1 AND kind = 'participant_audio' AND status = 'pending'`,
      [recordingId],
    );
    return row?.n ?? 0;
  }

  /** Rows first (STYLE lock order): results are replaced under the recording's lock. */
  async lockRecording(recordingId: string): Promise<boolean> {
    return (await this.sql.rows('SELECT id FROM recordings WHERE id = $1 FOR NO KEY UPDATE', [recordingId])).length > 0;
  }

  async markAnalysed(recordingId: string, outcomes: ReadonlyArray<{ artifactId: string; outcome: SourceOutcome; reason: string | null }>, at: Date): Promise<void> {
    if (outcomes.length === 0) return;
    await this.sql.run(
      `INSERT INTO analysed_sources (artifact_id, recording_id, outcome, reason, analysed_at)
       SELECT a, $1, o, r, $5 FROM unnest($2::uuid[], $3::text[], $4::text[]) AS t(a, o, r)
       ON CONFLICT (artifact_id) DO UPDATE SET outcome = EXCLUDED.outcome, reason = EXCLUDED.reason, analysed_at = EXCLUDED.analysed_at`,
      [recordingId, outcomes.map((o) => o.artifactId), outcomes.map((o) => o.outcome), outcomes.map((o) => o.reason), at],
    );
  }

  /** Recordings owing analysis (a file stored or gone since their last analysis), longest waiting first. */
  async recordingsOwingAnalysis(limit: number): Promise<string[]> {
    const rows = await this.sql.rows<{ recording_id: string }>('SELECT recording_id FROM analysis_owed ORDER BY since, recording_id LIMIT $1', [limit]);
    return rows.map((r) => r.recording_id);
  }

  /** Where the recording's changes stand before analysis reads them (null: nothing owed). */
  async owedGeneration(recordingId: string): Promise<string | null> {
    return (await this.sql.one<{ generation: string }>('SELECT generation FROM analysis_owed WHERE recording_id = $1', [recordingId]))?.generation ?? null;
  }

  /** Crossed off only when nothing changed since `generation` was read (a change meanwhile keeps it owed). */
  async settle(recordingId: string, generation: string | null): Promise<void> {
    if (generation === null) return;
    await this.sql.run('DELETE FROM analysis_owed WHERE recording_id = $1 AND generation = $2', [recordingId, generation]);
  }

  async outcomes(recordingId: string): Promise<Array<{ artifact_id: string; outcome: SourceOutcome; reason: string | null }>> {
    return this.sql.rows(`SELECT artifact_id, outcome, reason FROM analysed_sources WHERE recording_id = $1 ORDER BY artifact_id`, [recordingId]);
  }

  async isAssigned(recordingId: string, personId: string): Promise<boolean> {
    return (await this.sql.rows('SELECT 1 FROM review_assignments WHERE recording_id = $1 AND reviewer_id = $2 LIMIT 1', [recordingId, personId])).length > 0;
  }

  /** The newest stored transcript or chat log of a recording. */
  storedText(recordingId: string, kind: 'transcript' | 'chat'): Promise<{ id: string; storage_key: string } | null> {
    return this.sql.one(
      `SELECT id, storage_key FROM artifacts WHERE recording_id = $1 AND kind = $2 AND status = 'stored'
        ORDER BY stored_at DESC NULLS LAST, id LIMIT 1`,
      [recordingId, kind],
    );
  }

  /** Where the report's sources stand in retention: the earliest expiry among them. */
  retentionOf(artifactIds: readonly string[]): Promise<{ retention_class: string | null; expires_at: Date | null } | null> {
    return this.sql.one(
      `SELECT retention_class, expires_at FROM artifacts WHERE id = ANY($1::uuid[]) ORDER BY expires_at NULLS LAST LIMIT 1`,
      [artifactIds],
    );
  }
}
