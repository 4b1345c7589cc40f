import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Talk-time analytics and safety signals (issue 13). Results are personal data derived from stored
 * files, so they live and die with them: a report names the artifacts it was computed from, a flag
 * the file it was found in, and the moment one of those artifacts is deleted or discarded (retention,
 * opt-out, erasure) a trigger removes what was derived from it — whatever path deleted it — and
 * notes the recording in `analysis_owed`, so the next pass recomputes from what is left (a
 * transcript outlives the 30-day participant audio); storing such a file notes it too. Reports hold ids and numbers only: names come
 * from the roster when read. A person's own figures are rows of their own (`talk_time_speakers`), so
 * an erasure removes exactly them.
 */
export class AddTalkTimeAndSafetySignals1764700000000 implements MigrationInterface {
  name = 'AddTalkTimeAndSafetySignals1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE talk_time_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recording_id uuid NOT NULL UNIQUE REFERENCES recordings(id),
        session_id text,
        tutor_id text,
        program text,
        session_started_at timestamptz(3),
        source text NOT NULL CHECK (source IN ('participant_audio', 'transcript', 'timeline')),
        source_artifact_ids uuid[] NOT NULL,
        metrics jsonb NOT NULL,
        analysed_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE INDEX talk_time_reports_tutor ON talk_time_reports (tutor_id, session_started_at DESC)`);
    await q.query(`CREATE INDEX talk_time_reports_program ON talk_time_reports (program, session_started_at DESC)`);
    await q.query(`CREATE INDEX talk_time_reports_sources ON talk_time_reports USING gin (source_artifact_ids)`);
    await q.query(`
      CREATE TABLE talk_time_speakers (
        report_id uuid NOT NULL REFERENCES talk_time_reports(id) ON DELETE CASCADE,
        person_id text NOT NULL,
        role text NOT NULL CHECK (role IN ('tutor', 'learner', 'parent')),
        seconds double precision NOT NULL,
        turns integer NOT NULL,
        share double precision,
        PRIMARY KEY (report_id, person_id)
      )`);
    await q.query(`CREATE INDEX talk_time_speakers_person ON talk_time_speakers (person_id)`);
    await q.query(`
      CREATE TABLE safety_exceptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tutor_id text NOT NULL,
        family_person_ids text[] NOT NULL,
        kinds text[],
        reason text NOT NULL,
        granted_by text NOT NULL,
        granted_at timestamptz(3) NOT NULL,
        revoked_by text,
        revoked_at timestamptz(3)
      )`);
    await q.query(`CREATE INDEX safety_exceptions_tutor ON safety_exceptions (tutor_id) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE safety_flags (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recording_id uuid NOT NULL REFERENCES recordings(id),
        artifact_id uuid NOT NULL REFERENCES artifacts(id),
        source text NOT NULL CHECK (source IN ('chat', 'transcript')),
        line integer NOT NULL,
        offset_seconds double precision NOT NULL,
        kind text NOT NULL,
        direct boolean NOT NULL,
        sender_person_id text,
        sender_role text NOT NULL,
        recipient_person_id text,
        recipient_role text NOT NULL,
        breach boolean NOT NULL,
        covered_by text CHECK (covered_by IN ('parent', 'exception')),
        exception_id uuid REFERENCES safety_exceptions(id),
        hold_id uuid REFERENCES holds(id),
        detected_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE INDEX safety_flags_recording ON safety_flags (recording_id)`);
    await q.query(`CREATE INDEX safety_flags_artifact ON safety_flags (artifact_id)`);
    await q.query(`CREATE INDEX safety_flags_sender ON safety_flags (sender_person_id) WHERE sender_person_id IS NOT NULL`);
    await q.query(`CREATE INDEX safety_flags_recipient ON safety_flags (recipient_person_id) WHERE recipient_person_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE analysed_sources (
        artifact_id uuid PRIMARY KEY REFERENCES artifacts(id),
        recording_id uuid NOT NULL REFERENCES recordings(id),
        outcome text NOT NULL CHECK (outcome IN ('used', 'not_used', 'malformed')),
        reason text,
        analysed_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE INDEX analysed_sources_recording ON analysed_sources (recording_id)`);
    // What analysis still owes: a recording is noted whenever one of its transcripts, chats, timelines
    // or tracks is stored or goes, and crossed off by the analysis that saw that state (generation).
    // A small table the reconciling pass reads whole, however many files are kept for years.
    await q.query(`
      CREATE TABLE analysis_owed (
        recording_id uuid PRIMARY KEY REFERENCES recordings(id),
        generation bigint NOT NULL DEFAULT 1,
        since timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE FUNCTION note_analysis_owed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status IN ('deleted', 'discarded') THEN
          DELETE FROM talk_time_reports WHERE source_artifact_ids @> ARRAY[NEW.id];
          DELETE FROM safety_flags WHERE artifact_id = NEW.id;
        END IF;
        INSERT INTO analysis_owed (recording_id) VALUES (NEW.recording_id)
          ON CONFLICT (recording_id) DO UPDATE SET generation = analysis_owed.generation + 1;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER artifacts_note_analysis_owed
        AFTER UPDATE OF status ON artifacts
        FOR EACH ROW
        WHEN (NEW.status IN ('stored', 'deleted', 'discarded') AND OLD.status IS DISTINCT FROM NEW.status
              AND NEW.kind IN ('transcript', 'chat', 'timeline', 'participant_audio') AND NEW.recording_id IS NOT NULL)
        EXECUTE FUNCTION note_analysis_owed()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS artifacts_note_analysis_owed ON artifacts`);
    await q.query(`DROP FUNCTION IF EXISTS note_analysis_owed()`);
    await q.query(`DROP TABLE IF EXISTS analysis_owed`);
    await q.query(`DROP TABLE IF EXISTS analysed_sources`);
    await q.query(`DROP TABLE IF EXISTS safety_flags`);
    await q.query(`DROP TABLE IF EXISTS safety_exceptions`);
    await q.query(`DROP TABLE IF EXISTS talk_time_speakers`);
    await q.query(`DROP TABLE IF EXISTS talk_time_reports`);
  }
}
