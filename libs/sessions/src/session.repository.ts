import { Injectable } from '@nestjs/common';
import { ParticipantRole, Sql, TutoringSessionEntity } from '@lib/database';

export interface SessionFacts {
  id: string;
  zoomMeetingId: string;
  startsAt: Date;
  program: string | null;
  policyProfile: string;
  tutorId: string;
}

export interface Participation {
  personId: string;
  role: ParticipantRole;
  children: string[];
}

export interface RosterRow {
  person_id: string;
  display_name: string;
  role: ParticipantRole;
  minor: boolean | null;
}

interface SessionRow {
  id: string;
  zoom_meeting_id: string;
  starts_at: Date;
  program: string | null;
  policy_profile: string;
  tutor_id: string;
  created_at: Date;
  updated_at: Date;
}

export interface WaitingRecording {
  id: string;
  startedAt: Date;
}

export interface UnnamedTrack {
  id: string;
  participantLabel: string;
}

/** Sessions, their participants, and the recordings and tracks a session claims. */
@Injectable()
export class SessionRepository {
  constructor(private readonly sql: Sql) {}

  /** Creates or replaces the session's facts: answers whether it existed before. */
  async upsert(s: SessionFacts): Promise<{ existed: boolean }> {
    const before = await this.sql.one<{ id: string }>('SELECT id FROM sessions WHERE id = $1', [s.id]);
    await this.sql.run(
      `INSERT INTO sessions (id, zoom_meeting_id, starts_at, program, policy_profile, tutor_id) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET zoom_meeting_id = EXCLUDED.zoom_meeting_id, starts_at = EXCLUDED.starts_at,
         program = EXCLUDED.program, policy_profile = EXCLUDED.policy_profile, tutor_id = EXCLUDED.tutor_id, updated_at = now()`,
      [s.id, s.zoomMeetingId, s.startsAt, s.program, s.policyProfile, s.tutorId],
    );
    return { existed: before !== null };
  }

  async replaceParticipants(sessionId: string, participants: Participation[]): Promise<void> {
    await this.sql.run('DELETE FROM session_participants WHERE session_id = $1', [sessionId]);
    for (const p of participants) {
      await this.sql.run('INSERT INTO session_participants (session_id, person_id, role, children) VALUES ($1, $2, $3, $4)', [
        sessionId,
        p.personId,
        p.role,
        p.children,
      ]);
    }
  }

  async policyProfileOf(sessionId: string): Promise<string | null> {
    return (await this.sql.one<{ policy_profile: string }>('SELECT policy_profile FROM sessions WHERE id = $1', [sessionId]))?.policy_profile ?? null;
  }

  /** For each meeting and window, the sessions of that meeting starting within it: one statement for all. */
  async nearEach(windows: ReadonlyArray<{ zoomMeetingId: string; from: Date; to: Date }>): Promise<TutoringSessionEntity[][]> {
    const rows = await this.sql.rows<SessionRow & { window_index: number }>(
      `SELECT w.ord::int - 1 AS window_index, s.* FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS w(meeting_id, lo, hi, ord)
       JOIN sessions s ON s.zoom_meeting_id = w.meeting_id AND s.starts_at BETWEEN w.lo AND w.hi`,
      [windows.map((w) => w.zoomMeetingId), windows.map((w) => w.from), windows.map((w) => w.to)],
    );
    const found = windows.map((): TutoringSessionEntity[] => []);
    for (const r of rows) {
      found[r.window_index].push({
        id: r.id,
        zoomMeetingId: r.zoom_meeting_id,
        startsAt: r.starts_at,
        program: r.program,
        policyProfile: r.policy_profile,
        tutorId: r.tutor_id,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      });
    }
    return found;
  }

  roster(sessionId: string): Promise<RosterRow[]> {
    return this.rosters([sessionId]);
  }

  /** The rosters of these sessions, each session's rows together. */
  rosters(sessionIds: readonly string[]): Promise<Array<RosterRow & { session_id: string }>> {
    return this.sql.rows<RosterRow & { session_id: string }>(
      `SELECT sp.session_id, sp.person_id, p.display_name, sp.role, p.minor FROM session_participants sp
       JOIN people p ON p.id = sp.person_id WHERE sp.session_id = ANY($1::text[]) ORDER BY sp.session_id, sp.role DESC, sp.person_id`,
      [sessionIds],
    );
  }

  async recordingsOf(sessionId: string): Promise<string[]> {
    return (await this.sql.rows<{ id: string }>('SELECT id FROM recordings WHERE session_id = $1', [sessionId])).map((r) => r.id);
  }

  /** Unmatched recordings of the meeting started within the window, locked for linking. */
  async lockUnmatchedRecordings(zoomMeetingId: string, from: Date, to: Date): Promise<WaitingRecording[]> {
    const rows = await this.sql.rows<{ id: string; started_at: Date }>(
      `SELECT id, started_at FROM recordings WHERE session_id IS NULL AND zoom_meeting_id = $1
       AND started_at BETWEEN $2 AND $3 ORDER BY id FOR UPDATE`,
      [zoomMeetingId, from, to],
    );
    return rows.map((r) => ({ id: r.id, startedAt: r.started_at }));
  }

  async linkRecording(recordingId: string, sessionId: string, policyProfile: string): Promise<void> {
    await this.sql.run('UPDATE recordings SET session_id = $1, policy_profile = $2, updated_at = now() WHERE id = $3', [sessionId, policyProfile, recordingId]);
  }

  /** Per-participant audio tracks of the recording not yet tied to a person. */
  async unnamedTracks(recordingId: string): Promise<UnnamedTrack[]> {
    const rows = await this.sql.rows<{ id: string; participant_label: string }>(
      `SELECT id, participant_label FROM artifacts
       WHERE recording_id = $1 AND kind = 'participant_audio' AND person_id IS NULL AND participant_label IS NOT NULL`,
      [recordingId],
    );
    return rows.map((r) => ({ id: r.id, participantLabel: r.participant_label }));
  }

  async nameTrack(artifactId: string, personId: string): Promise<void> {
    await this.sql.run('UPDATE artifacts SET person_id = $2, updated_at = now() WHERE id = $1', [artifactId, personId]);
  }
}
