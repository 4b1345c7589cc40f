import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';

export interface ScopeSession {
  id: string;
  starts_at: Date;
  program: string | null;
}

export interface ScopeParticipant {
  session_id: string;
  person_id: string;
  display_name: string;
  role: 'tutor' | 'learner' | 'parent';
  erased: boolean;
}

export interface ScopeFile {
  id: string;
  recording_id: string;
  session_id: string;
  kind: 'transcript' | 'chat' | 'audio';
  storage_key: string;
  stored_at: Date | null;
}

export interface ScopeTalkTime {
  recording_id: string;
  session_id: string;
  source: string;
  metrics: Record<string, unknown>;
  person_id: string | null;
  role: string | null;
  seconds: number | null;
  turns: number | null;
  share: number | null;
}

/** What an export reads: the sessions in its scope, page by page, and their people, files and talk time. */
@Injectable()
export class ResearchScopeRepository {
  constructor(private readonly sql: Sql) {}

  /** Keyset pages by (starts_at, id): memory stays flat however many sessions the study covers. */
  sessionsPage(scope: { programs: string[]; from: Date; to: Date }, after: { startsAt: Date; id: string } | null, limit: number): Promise<ScopeSession[]> {
    return this.sql.rows<ScopeSession>(
      `SELECT id, starts_at, program FROM sessions
        WHERE program = ANY($1) AND starts_at >= $2 AND starts_at < $3
          AND ($4::timestamptz IS NULL OR (starts_at, id) > ($4, $5))
        ORDER BY starts_at, id LIMIT $6`,
      [scope.programs, scope.from, scope.to, after?.startsAt ?? null, after?.id ?? '', limit],
    );
  }

  participants(sessionIds: readonly string[]): Promise<ScopeParticipant[]> {
    return this.sql.rows<ScopeParticipant>(
      `SELECT sp.session_id, sp.person_id, p.display_name, sp.role, p.erased_at IS NOT NULL AS erased
         FROM session_participants sp JOIN people p ON p.id = sp.person_id
        WHERE sp.session_id = ANY($1) ORDER BY sp.session_id, sp.role DESC, sp.person_id`,
      [sessionIds],
    );
  }

  /** Stored transcripts, chat logs and audio of the sessions' recordings (never ones being deleted). */
  files(sessionIds: readonly string[]): Promise<ScopeFile[]> {
    return this.sql.rows<ScopeFile>(
      `SELECT a.id, a.recording_id, r.session_id, a.kind, a.storage_key, a.stored_at
         FROM artifacts a JOIN recordings r ON r.id = a.recording_id
        WHERE r.session_id = ANY($1) AND a.status = 'stored' AND a.delete_requested_at IS NULL
          AND a.kind IN ('transcript', 'chat', 'audio')
        ORDER BY r.session_id, a.recording_id, a.kind, a.stored_at DESC NULLS LAST, a.id`,
      [sessionIds],
    );
  }

  talkTime(sessionIds: readonly string[]): Promise<ScopeTalkTime[]> {
    return this.sql.rows<ScopeTalkTime>(
      `SELECT t.recording_id, t.session_id, t.source, t.metrics, s.person_id, s.role, s.seconds, s.turns, s.share
         FROM talk_time_reports t LEFT JOIN talk_time_speakers s ON s.report_id = t.id
        WHERE t.session_id = ANY($1) ORDER BY t.session_id, t.recording_id, s.role, s.person_id`,
      [sessionIds],
    );
  }
}
