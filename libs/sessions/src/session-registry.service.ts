import { Inject, Injectable, Logger } from '@nestjs/common';
import { Transactions } from '@lib/database';
import { AuditTrail } from '@lib/audit';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { ParticipantRole, TutoringSessionEntity } from '@lib/database';
import { JobQueue } from '@lib/jobs';
import { Metrics } from '@lib/observability';
import { ExpiryAssigner } from '@lib/retention';
import { matchRosterName } from '@lib/text';
import { PeopleRepository } from './people.repository';
import { pickSession } from './session-match';
import { checkRegistration, SessionRegistration } from './session-registration';
import { Participation, SessionRepository } from './session.repository';

export interface RosterEntry {
  personId: string;
  displayName: string;
  role: ParticipantRole;
  minor: boolean | null;
}

@Injectable()
export class SessionRegistry {
  private readonly logger = new Logger(SessionRegistry.name);

  constructor(
    private readonly sessions: SessionRepository,
    private readonly people: PeopleRepository,
    private readonly transactions: Transactions,
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly expiry: ExpiryAssigner,
    private readonly jobs: JobQueue,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Registers (or re-registers) a session and its people, then links recordings of that meeting
   * that arrived before the session was known. Returns the ids of recordings it linked.
   * Lock order: the session's rows and the recordings it links (in id order), the audit trail last.
   */
  async register(sessionId: string, input: SessionRegistration, actorId: string): Promise<{ created: boolean; linkedRecordings: string[] }> {
    checkRegistration(input);
    const result = await this.transactions.run(async () => {
      const people = [
        { ...input.tutor, minor: null as boolean | null },
        ...input.learners.map((l) => ({ ...l, minor: l.minor })),
        ...input.parents.map((p) => ({ ...p, minor: false })),
      ];
      for (const p of people) await this.people.upsert({ personId: p.personId, displayName: p.displayName, email: p.email ?? null, minor: p.minor });
      const { existed } = await this.sessions.upsert({
        id: sessionId,
        zoomMeetingId: input.zoomMeetingId,
        startsAt: input.startsAt,
        program: input.program ?? null,
        policyProfile: input.policyProfile,
        tutorId: input.tutor.personId,
      });
      const participants: Participation[] = [
        { personId: input.tutor.personId, role: 'tutor', children: [] },
        ...input.learners.map((l): Participation => ({ personId: l.personId, role: 'learner', children: [] })),
        ...input.parents.map((p): Participation => ({ personId: p.personId, role: 'parent', children: p.children })),
      ];
      await this.sessions.replaceParticipants(sessionId, participants);
      const linkedRecordings = await this.linkWaitingRecordings(sessionId, input);
      await this.audit.append({ actorId, action: existed ? 'session.updated' : 'session.registered', subjectType: 'session', subjectId: sessionId });
      for (const id of linkedRecordings) {
        await this.audit.append({ actorId, action: 'recording.linked', subjectType: 'recording', subjectId: id, details: { sessionId } });
      }
      // A new roster changes who said what (talk time, safety signals): the session's recordings are analysed again.
      if (this.config.analysis.enabled) {
        const recordings = await this.sessions.recordingsOf(sessionId);
        await this.transactions.afterCommit(async () => {
          for (const recordingId of recordings) await this.jobs.enqueue('analyse-recording', { recordingId });
        });
      }
      return { created: !existed, linkedRecordings };
    });
    await this.enforceOptOuts(sessionId);
    return result;
  }

  /** The policy profile of a registered session, or null when no session has this id. */
  policyProfileOf(sessionId: string): Promise<string | null> {
    return this.sessions.policyProfileOf(sessionId);
  }

  /**
   * A learner of the session may have opted out of video: the opt-out reaches its recordings, the
   * ones just linked included (POLICIES §4; the consent lib's OptOutEnforcer runs the job).
   */
  private async enforceOptOuts(sessionId: string): Promise<void> {
    for (const id of await this.sessions.recordingsOf(sessionId)) {
      await this.jobs.enqueue('enforce-opt-out', { recordingId: id }).catch((error: Error) => {
        // Not queued (Redis down): the periodic opt-out check applies it within a minute.
        this.metrics.backgroundFailures.inc({ operation: 'enqueue-opt-out' });
        this.logger.warn(`recording ${id}: opt-out check not queued (${error.name}); the periodic check applies it`);
      });
    }
  }

  /** The session a recording of this meeting, started then, belongs to. */
  async findSessionFor(zoomMeetingId: string, startedAt: Date): Promise<TutoringSessionEntity | null> {
    return (await this.findSessionsFor([{ zoomMeetingId, startedAt }]))[0];
  }

  /** `findSessionFor` for several recordings at once (one query), in their order. */
  async findSessionsFor(recordings: ReadonlyArray<{ zoomMeetingId: string; startedAt: Date }>): Promise<Array<TutoringSessionEntity | null>> {
    const windowMinutes = this.config.sessionMatchWindowMinutes;
    const windowMs = windowMinutes * 60_000;
    const candidates = await this.sessions.nearEach(
      recordings.map((r) => ({ zoomMeetingId: r.zoomMeetingId, from: new Date(r.startedAt.getTime() - windowMs), to: new Date(r.startedAt.getTime() + windowMs) })),
    );
    return recordings.map((r, i) => pickSession(candidates[i], r.startedAt, windowMinutes));
  }

  async roster(sessionId: string): Promise<RosterEntry[]> {
    return (await this.rosters([sessionId])).get(sessionId) ?? [];
  }

  /** The rosters of these sessions (one query), by session id; a session without participants has none. */
  async rosters(sessionIds: readonly string[]): Promise<Map<string, RosterEntry[]>> {
    const out = new Map<string, RosterEntry[]>();
    if (sessionIds.length === 0) return out;
    for (const r of await this.sessions.rosters([...new Set(sessionIds)])) {
      const roster = out.get(r.session_id) ?? [];
      roster.push({ personId: r.person_id, displayName: r.display_name, role: r.role, minor: r.minor });
      out.set(r.session_id, roster);
    }
    return out;
  }

  /**
   * Names the people behind per-participant audio tracks of a recording from the session's roster
   * (tracks carry only a display name). Used when a recording is linked to its session after it
   * arrived; tracks already matched keep their person.
   */
  async matchParticipantAudio(recordingId: string, sessionId: string): Promise<number> {
    const roster = await this.roster(sessionId);
    let matched = 0;
    for (const track of await this.sessions.unnamedTracks(recordingId)) {
      const person = matchRosterName(track.participantLabel, roster);
      if (!person) continue;
      await this.sessions.nameTrack(track.id, person.personId);
      matched += 1;
    }
    return matched;
  }

  private async linkWaitingRecordings(sessionId: string, input: SessionRegistration): Promise<string[]> {
    const windowMs = this.config.sessionMatchWindowMinutes * 60_000;
    const waiting = await this.sessions.lockUnmatchedRecordings(
      input.zoomMeetingId,
      new Date(input.startsAt.getTime() - windowMs),
      new Date(input.startsAt.getTime() + windowMs),
    );
    const linked: string[] = [];
    for (const recording of waiting) {
      const best = await this.findSessionFor(input.zoomMeetingId, recording.startedAt);
      if (best?.id !== sessionId) continue;
      await this.sessions.linkRecording(recording.id, sessionId, input.policyProfile);
      await this.matchParticipantAudio(recording.id, sessionId);
      // The session's profile and start now govern the recording's expiry (it lived by the strictest).
      await this.expiry.assignForRecording(recording.id);
      linked.push(recording.id);
    }
    return linked;
  }
}
