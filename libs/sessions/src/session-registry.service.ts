import { Inject, Injectable } from '@nestjs/common';
import { Sql, Transactions } from '@lib/database';
import { AuditTrail } from '@lib/audit';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { ParticipantRole, TutoringSessionEntity } from '@lib/database';
import { JobQueue } from '@lib/jobs';
import { ExpiryAssigner } from '@lib/retention';
import { matchRosterName } from '@lib/text';
import { pickSession } from './session-match';
import { checkRegistration, SessionRegistration } from './session-registration';

export interface RosterEntry {
  personId: string;
  displayName: string;
  role: ParticipantRole;
  minor: boolean | null;
}

@Injectable()
export class SessionRegistry {
  constructor(
    private readonly sql: Sql,
    private readonly transactions: Transactions,
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly expiry: ExpiryAssigner,
    private readonly jobs: JobQueue,
  ) {}

  /**
   * Registers (or re-registers) a session and its people, then links recordings of that meeting
   * that arrived before the session was known. Returns the ids of recordings it linked.
   */
  async register(sessionId: string, input: SessionRegistration, actorId: string): Promise<{ created: boolean; linkedRecordings: string[] }> {
    checkRegistration(input);
    const result = await this.transactions.run(async () => {
      const people = [
        { ...input.tutor, minor: null as boolean | null },
        ...input.learners.map((l) => ({ ...l, minor: l.minor })),
        ...input.parents.map((p) => ({ ...p, minor: false })),
      ];
      for (const p of people) {
        await this.sql.rows(
          `INSERT INTO people (id, display_name, email, minor) VALUES ($1, $2, $3, $4)
           ON CONFLICT (id) DO UPDATE SET
             -- An erased person stays erased: their name and email are not taken back.
             display_name = CASE WHEN people.erased_at IS NULL THEN EXCLUDED.display_name ELSE people.display_name END,
             email = CASE WHEN people.erased_at IS NULL THEN COALESCE(EXCLUDED.email, people.email) END, minor = COALESCE(EXCLUDED.minor, people.minor), updated_at = now()`,
          [p.personId, p.displayName, p.email ?? null, p.minor],
        );
      }
      const existing: unknown[] = await this.sql.rows('SELECT 1 FROM sessions WHERE id = $1', [sessionId]);
      await this.sql.rows(
        `INSERT INTO sessions (id, zoom_meeting_id, starts_at, program, policy_profile, tutor_id) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET zoom_meeting_id = EXCLUDED.zoom_meeting_id, starts_at = EXCLUDED.starts_at,
           program = EXCLUDED.program, policy_profile = EXCLUDED.policy_profile, tutor_id = EXCLUDED.tutor_id, updated_at = now()`,
        [sessionId, input.zoomMeetingId, input.startsAt, input.program ?? null, input.policyProfile, input.tutor.personId],
      );
      await this.sql.rows('DELETE FROM session_participants WHERE session_id = $1', [sessionId]);
      const rows: Array<[string, ParticipantRole, string[]]> = [
        [input.tutor.personId, 'tutor', []],
        ...input.learners.map((l): [string, ParticipantRole, string[]] => [l.personId, 'learner', []]),
        ...input.parents.map((p): [string, ParticipantRole, string[]] => [p.personId, 'parent', p.children]),
      ];
      for (const [personId, role, children] of rows) {
        await this.sql.rows('INSERT INTO session_participants (session_id, person_id, role, children) VALUES ($1, $2, $3, $4)', [
          sessionId,
          personId,
          role,
          children,
        ]);
      }
      await this.audit.append(
        { actorId, action: existing.length ? 'session.updated' : 'session.registered', subjectType: 'session', subjectId: sessionId },
      );
      const linkedRecordings = await this.linkWaitingRecordings(sessionId, input, actorId);
      return { created: existing.length === 0, linkedRecordings };
    });
    await this.enforceOptOuts(sessionId);
    return result;
  }

  /**
   * A learner of the session may have opted out of video: the opt-out reaches its recordings, the
   * ones just linked included (POLICIES §4; the consent lib's OptOutEnforcer runs the job).
   */
  private async enforceOptOuts(sessionId: string): Promise<void> {
    const recordings: Array<{ id: string }> = await this.sql.rows('SELECT id FROM recordings WHERE session_id = $1', [sessionId]);
    for (const { id } of recordings) {
      // Not queued (Redis down): the periodic opt-out check applies it within a minute.
      await this.jobs.enqueue('enforce-opt-out', { recordingId: id }).catch(() => undefined);
    }
  }

  /** The session a recording of this meeting, started then, belongs to. */
  async findSessionFor(zoomMeetingId: string, startedAt: Date): Promise<TutoringSessionEntity | null> {
    const windowMs = this.config.sessionMatchWindowMinutes * 60_000;
    const candidates = await this.sessionsNear(zoomMeetingId, new Date(startedAt.getTime() - windowMs), new Date(startedAt.getTime() + windowMs));
    return pickSession(candidates, startedAt, this.config.sessionMatchWindowMinutes);
  }

  private async sessionsNear(zoomMeetingId: string, from: Date, to: Date): Promise<TutoringSessionEntity[]> {
    const rows: Array<{ id: string; zoom_meeting_id: string; starts_at: Date; program: string | null; policy_profile: string; tutor_id: string; created_at: Date; updated_at: Date }> =
      await this.sql.rows('SELECT * FROM sessions WHERE zoom_meeting_id = $1 AND starts_at BETWEEN $2 AND $3', [zoomMeetingId, from, to]);
    return rows.map((r) => ({
      id: r.id,
      zoomMeetingId: r.zoom_meeting_id,
      startsAt: r.starts_at,
      program: r.program,
      policyProfile: r.policy_profile,
      tutorId: r.tutor_id,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  async roster(sessionId: string): Promise<RosterEntry[]> {
    const rows: Array<{ person_id: string; display_name: string; role: ParticipantRole; minor: boolean | null }> = await this.sql.rows(
      `SELECT sp.person_id, p.display_name, sp.role, p.minor FROM session_participants sp
       JOIN people p ON p.id = sp.person_id WHERE sp.session_id = $1 ORDER BY sp.role DESC, sp.person_id`,
      [sessionId],
    );
    return rows.map((r) => ({ personId: r.person_id, displayName: r.display_name, role: r.role, minor: r.minor }));
  }

  /**
   * Names the people behind per-participant audio tracks of a recording from the session's roster
   * (tracks carry only a display name). Used when a recording is linked to its session after it
   * arrived; tracks already matched keep their person.
   */
  async matchParticipantAudio(recordingId: string, sessionId: string): Promise<number> {
    const roster = await this.roster(sessionId);
    const tracks: Array<{ id: string; participant_label: string }> = await this.sql.rows(
      `SELECT id, participant_label FROM artifacts
       WHERE recording_id = $1 AND kind = 'participant_audio' AND person_id IS NULL AND participant_label IS NOT NULL`,
      [recordingId],
    );
    let matched = 0;
    for (const track of tracks) {
      const person = matchRosterName(track.participant_label, roster);
      if (!person) continue;
      await this.sql.rows('UPDATE artifacts SET person_id = $2, updated_at = now() WHERE id = $1', [track.id, person.personId]);
      matched += 1;
    }
    return matched;
  }

  private async linkWaitingRecordings(sessionId: string, input: SessionRegistration, actorId: string): Promise<string[]> {
    const windowMs = this.config.sessionMatchWindowMinutes * 60_000;
    const waiting: Array<{ id: string; started_at: Date }> = await this.sql.rows(
      `SELECT id, started_at FROM recordings WHERE session_id IS NULL AND zoom_meeting_id = $1
       AND started_at BETWEEN $2 AND $3 FOR UPDATE`,
      [input.zoomMeetingId, new Date(input.startsAt.getTime() - windowMs), new Date(input.startsAt.getTime() + windowMs)],
    );
    const linked: string[] = [];
    for (const recording of waiting) {
      const best = await this.findSessionFor(input.zoomMeetingId, recording.started_at);
      if (best?.id !== sessionId) continue;
      await this.sql.rows('UPDATE recordings SET session_id = $1, policy_profile = $2, updated_at = now() WHERE id = $3', [
        sessionId,
        input.policyProfile,
        recording.id,
      ]);
      await this.audit.append({ actorId, action: 'recording.linked', subjectType: 'recording', subjectId: recording.id, details: { sessionId } });
      await this.matchParticipantAudio(recording.id, sessionId);
      // The session's profile and start now govern the recording's expiry (it lived by the strictest).
      await this.expiry.assignForRecording(recording.id);
      linked.push(recording.id);
    }
    return linked;
  }
}
