import { randomBytes } from 'node:crypto';
import { ServiceHarness } from './harness';
import { TalkFigures } from './talk-time-figures';

/**
 * Talk-time reports and safety flags straight into the tables issue 13's analysis writes
 * (migrations/1764700000000-add-talk-time-and-safety-signals.ts), for sessions registered through
 * the API: what the pages show, without depending on the analysis pipeline. Suites that seed these
 * run with TALK_TIME_ANALYSIS=false, so no analysis pass replaces them meanwhile.
 */

/** An archived recording of a registered session (no files): what a report hangs from. */
export async function seedRecording(harness: ServiceHarness, sessionId: string, startedAt: Date, minutes: number): Promise<string> {
  const [row] = await harness.query<{ id: string }>(
    `INSERT INTO recordings (zoom_meeting_uuid, zoom_meeting_id, session_id, policy_profile, started_at, duration_minutes, status, storage_prefix)
     SELECT $1, s.zoom_meeting_id, s.id, s.policy_profile, $2, $3, 'archived', $4 FROM sessions s WHERE s.id = $5 RETURNING id`,
    [`seed-${randomBytes(8).toString('hex')}`, startedAt, minutes, `r/${randomBytes(16).toString('hex')}`, sessionId],
  );
  if (!row) throw new Error(`session ${sessionId} is not registered`);
  return row.id;
}

export interface ReportSeed {
  recordingId: string;
  source?: 'participant_audio' | 'transcript' | 'timeline';
  /** The files it was computed from (none for a recording seeded without files). */
  sourceArtifactIds?: string[];
  figures: TalkFigures;
}

/** A report as analysis stores it: the session's aggregates, and one row per roster person. */
export async function seedTalkTimeReport(harness: ServiceHarness, seed: ReportSeed): Promise<string> {
  const [report] = await harness.query<{ id: string }>(
    `INSERT INTO talk_time_reports (recording_id, session_id, tutor_id, program, session_started_at, source, source_artifact_ids, metrics, analysed_at)
     SELECT r.id, r.session_id, s.tutor_id, s.program, r.started_at, $2, $3, $4, now()
       FROM recordings r LEFT JOIN sessions s ON s.id = r.session_id WHERE r.id = $1
     RETURNING id`,
    [seed.recordingId, seed.source ?? 'transcript', seed.sourceArtifactIds ?? [], JSON.stringify(seed.figures.metrics)],
  );
  for (const s of seed.figures.speakers) {
    await harness.query('INSERT INTO talk_time_speakers (report_id, person_id, role, seconds, turns, share) VALUES ($1, $2, $3, $4, $5, $6)', [
      report.id,
      s.personId,
      s.role,
      s.seconds,
      s.turns,
      s.share,
    ]);
  }
  return report.id;
}

export interface FlagSeed {
  recordingId: string;
  artifactId: string;
  source: 'chat' | 'transcript';
  line: number;
  offsetSeconds: number;
  kind: 'email' | 'phone' | 'social' | 'address' | 'link' | 'off_platform';
  direct: boolean;
  sender: { personId: string | null; role: string };
  recipient: { personId: string | null; role: string };
  breach: boolean;
  coveredBy?: 'parent' | 'exception' | null;
}

export async function seedSafetyFlag(harness: ServiceHarness, f: FlagSeed): Promise<string> {
  const [row] = await harness.query<{ id: string }>(
    `INSERT INTO safety_flags (recording_id, artifact_id, source, line, offset_seconds, kind, direct, sender_person_id, sender_role,
       recipient_person_id, recipient_role, breach, covered_by, detected_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now()) RETURNING id`,
    [f.recordingId, f.artifactId, f.source, f.line, f.offsetSeconds, f.kind, f.direct, f.sender.personId, f.sender.role, f.recipient.personId, f.recipient.role, f.breach, f.coveredBy ?? null],
  );
  return row.id;
}
