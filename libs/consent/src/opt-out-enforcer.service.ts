import { Injectable, Logger } from '@nestjs/common';
import { Sql, Transactions } from '@lib/database';
import { AuditTrail } from '@lib/audit';
import { JobQueue } from '@lib/jobs';
import { ArtifactDeletion, ExpiryAssigner } from '@lib/retention';
import { newObjectKey } from '@lib/storage';
import { ConsentLedger } from './consent-ledger.service';
import { planVideoOptOut, OptOutArtifact } from './video-opt-out';

export interface OptOutOutcome {
  /** Videos (and streams) withheld before they were stored: `discarded`, never downloaded. */
  discarded: string[];
  /** Stored videos and their stream renditions now on their way out through ArtifactDeletion. */
  deletionRequested: string[];
  /** Audio artifacts created to be extracted from a video (the caller, or we, enqueue their archive job). */
  derived: string[];
  /** Stored videos kept a little longer: the audio being extracted from them is not stored yet. */
  waiting: string[];
}

const empty = (): OptOutOutcome => ({ discarded: [], deletionRequested: [], derived: [], waiting: [] });
const merge = (into: OptOutOutcome, more: OptOutOutcome) => {
  for (const key of Object.keys(into) as Array<keyof OptOutOutcome>) into[key].push(...more[key]);
  return into;
};

/** At most this many recordings per periodic check: the job path does the bulk; this is the safety net. */
const RECONCILE_BATCH = 200;

/**
 * POLICIES §4, video opt-out: a session with a learner who opted out keeps no video. At ingest the
 * MP4s are discarded before a byte is downloaded; later (retroactive opt-out, a recording linked to
 * its session afterwards) stored video and its stream renditions go through the one deletion path.
 * Audio is kept: Zoom's M4A, or when there is none, audio extracted from the video first.
 */
@Injectable()
export class OptOutEnforcer {
  private readonly logger = new Logger(OptOutEnforcer.name);

  constructor(
    private readonly sql: Sql,
    private readonly transactions: Transactions,
    private readonly ledger: ConsentLedger,
    private readonly deletion: ArtifactDeletion,
    private readonly expiry: ExpiryAssigner,
    private readonly audit: AuditTrail,
    private readonly jobs: JobQueue,
  ) {}

  /**
   * Applies the opt-outs of the recording's session to its video. Idempotent. Inside a caller's
   * transaction it joins it; its jobs are queued after that commits.
   */
  async applyToRecording(recordingId: string): Promise<OptOutOutcome> {
    return this.transactions.run(async () => {
      const outcome = await this.apply(recordingId);
      // Deletions are queued by ArtifactDeletion itself, after the same commit.
      await this.transactions.afterCommit(() => this.archiveDerived(outcome.derived));
      return outcome;
    });
  }

  /** A person's new video opt-out (or images withdrawal), applied to everything of theirs already stored. */
  async applyForPerson(personId: string): Promise<OptOutOutcome> {
    const recordings: Array<{ id: string }> = await this.sql.rows(
      `SELECT DISTINCT r.id FROM recordings r JOIN session_participants sp ON sp.session_id = r.session_id
       WHERE sp.person_id = $1 AND sp.role = 'learner'`,
      [personId],
    );
    const outcome = empty();
    for (const { id } of recordings) merge(outcome, await this.applyToRecording(id));
    merge(outcome, await this.withdrawImages(personId));
    return outcome;
  }

  /** The periodic safety net: recordings whose video an opt-out should have removed but has not (a lost job). */
  async reconcile(): Promise<number> {
    const rows: Array<{ id: string }> = await this.sql.rows(
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
       LIMIT ${RECONCILE_BATCH}`,
    );
    let changed = 0;
    for (const { id } of rows) {
      const outcome = await this.applyToRecording(id);
      if (outcome.discarded.length + outcome.deletionRequested.length + outcome.derived.length > 0) changed += 1;
    }
    return changed;
  }

  private async apply(recordingId: string): Promise<OptOutOutcome> {
    // The recording's row lock serialises this with ingest of a repeated delivery of the same recording.
    const recordings: Array<{ session_id: string | null; storage_prefix: string }> = await this.sql.rows(
      'SELECT session_id, storage_prefix FROM recordings WHERE id = $1 FOR UPDATE',
      [recordingId],
    );
    const recording = recordings[0];
    if (!recording?.session_id) return empty();
    const learners: Array<{ person_id: string }> = await this.sql.rows(
      `SELECT person_id FROM session_participants WHERE session_id = $1 AND role = 'learner' ORDER BY person_id`,
      [recording.session_id],
    );
    const optOuts = [...(await this.ledger.optedOutOfVideo(learners.map((l) => l.person_id))).values()];
    if (optOuts.length === 0) return empty();
    // The opt-out in force longest names the reason (learner ids never appear in it).
    const decision = optOuts.sort((a, b) => a.decidedAt.getTime() - b.decidedAt.getTime())[0];
    const reason = `video opt-out by a learner of this session (consent decision ${decision.decisionId})`;

    const artifacts: OptOutArtifact[] = (
      await this.sql.rows(
        `SELECT id, kind, status, derived_from, delete_requested_at IS NOT NULL AS deletion_requested FROM artifacts WHERE recording_id = $1`,
        [recordingId],
      )
    ).map((a: { id: string; kind: string; status: string; derived_from: string | null; deletion_requested: boolean }) => ({
      id: a.id,
      kind: a.kind,
      status: a.status,
      derivedFrom: a.derived_from,
      deletionRequested: a.deletion_requested,
    }));
    const plan = planVideoOptOut(artifacts);
    const outcome = empty();
    for (const videoId of plan.deriveAudioFrom) {
      const id = await this.createDerivedAudio(recordingId, recording.storage_prefix, videoId);
      if (id) outcome.derived.push(id);
    }
    // Extracted audio lives exactly as long as the session's audio (POLICIES §2).
    if (outcome.derived.length > 0) await this.expiry.assignForRecording(recordingId);
    outcome.waiting.push(...plan.waitFor);
    outcome.discarded.push(...plan.remove.filter((id) => artifacts.find((a) => a.id === id)?.status === 'pending'));
    outcome.deletionRequested.push(...(await this.deletion.requestDeletion(plan.remove, 'opt_out', reason)));
    if (outcome.discarded.length + outcome.deletionRequested.length + outcome.derived.length > 0) {
      await this.audit.append(
        {
          actorId: 'consent',
          action: 'recording.opt_out_applied',
          subjectType: 'recording',
          subjectId: recordingId,
          details: {
            consentDecisionId: decision.decisionId,
            discarded: outcome.discarded.length,
            deletionRequested: outcome.deletionRequested.length,
            audioDerived: outcome.derived.length,
          },
        },
      );
    }
    return outcome;
  }

  /**
   * One audio artifact per video whose recording has no audio of its own (no M4A): its archive job
   * reads the MP4 (from our bucket if stored, else from Zoom) into a bounded temporary file,
   * extracts the audio and stores only that.
   */
  private async createDerivedAudio(recordingId: string, storagePrefix: string, videoId: string): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.sql.rows(
      `INSERT INTO artifacts (recording_id, kind, zoom_file_key, zoom_file_type, zoom_recording_type, zoom_file_status, file_extension,
         source_url, recording_start, recording_end, storage_key, content_type, status, derived_from)
       SELECT recording_id, 'audio', 'audio-from:' || zoom_file_key, NULL, 'audio_from_video', zoom_file_status, 'M4A',
         source_url, recording_start, recording_end, $2, 'audio/mp4', 'pending', id
       FROM artifacts WHERE id = $1 AND zoom_file_key IS NOT NULL
       ON CONFLICT (recording_id, zoom_file_key) DO NOTHING RETURNING id`,
      [videoId, newObjectKey(storagePrefix, 'm4a')],
    );
    if (rows.length === 0) return null;
    await this.audit.append(
      { actorId: 'consent', action: 'artifact.announced', subjectType: 'artifact', subjectId: rows[0].id, details: { recordingId, kind: 'audio', derivedFrom: videoId } },
    );
    return rows[0].id;
  }

  /** Withdrawn images consent: pictures of the person still kept are deleted (POLICIES §4). */
  private async withdrawImages(personId: string): Promise<OptOutOutcome> {
    const current = await this.ledger.current(personId, 'images');
    if (current?.decision !== 'withdraw') return empty();
    const images: Array<{ id: string }> = await this.sql.rows(
      `SELECT id FROM artifacts WHERE kind = 'image' AND $1 = ANY(pictured_person_ids)
       AND status IN ('pending', 'stored') AND delete_requested_at IS NULL`,
      [personId],
    );
    const reason = `images consent withdrawn for a pictured learner (consent decision ${current.decisionId})`;
    return { ...empty(), deletionRequested: await this.deletion.requestDeletion(images.map((i) => i.id), 'opt_out', reason) };
  }

  /**
   * Jobs for what the transaction decided, queued once it has committed: the extractions and the
   * deletions (ArtifactDeletion leaves queuing to the caller when it marks inside a transaction).
   */
  private async archiveDerived(artifactIds: string[]): Promise<void> {
    for (const artifactId of artifactIds) {
      await this.jobs.enqueue('archive-artifact', { artifactId }).catch((error: Error) => {
        this.logger.warn(`artifact ${artifactId}: archive job not queued (${error.message}); the relay will pick it up`);
      });
    }
  }
}
