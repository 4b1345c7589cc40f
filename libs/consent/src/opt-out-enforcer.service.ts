import { Injectable, Logger } from '@nestjs/common';
import { Transactions } from '@lib/database';
import { AuditTrail } from '@lib/audit';
import { JobQueue } from '@lib/jobs';
import { ArtifactDeletion, ExpiryAssigner } from '@lib/retention';
import { newObjectKey } from '@lib/storage';
import { ConsentLedger } from './consent-ledger.service';
import { OptOutRecords } from './opt-out.repository';
import { planVideoOptOut } from './video-opt-out';

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
    private readonly records: OptOutRecords,
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

  /**
   * `applyToRecording` for several recordings (ingest of deliveries taken together): one query finds
   * the recordings whose session has a learner with a video opt-out in force, and only those are
   * applied, one by one. Joins the caller's transaction. Answers the outcomes of those applied, by
   * recording id.
   */
  async applyToRecordings(recordingIds: readonly string[]): Promise<Map<string, OptOutOutcome>> {
    const outcomes = new Map<string, OptOutOutcome>();
    if (recordingIds.length === 0) return outcomes;
    const learners = await this.records.learnersOfRecordings(recordingIds);
    if (learners.size === 0) return outcomes;
    const optedOut = await this.ledger.optedOutOfVideo([...new Set([...learners.values()].flat())]);
    if (optedOut.size === 0) return outcomes;
    for (const id of recordingIds) {
      if (learners.get(id)?.some((person) => optedOut.has(person))) outcomes.set(id, await this.applyToRecording(id));
    }
    return outcomes;
  }

  /** A person's new video opt-out (or images withdrawal), applied to everything of theirs already stored. */
  async applyForPerson(personId: string): Promise<OptOutOutcome> {
    const recordings = await this.records.recordingsOfLearner(personId);
    const outcome = empty();
    for (const id of recordings) merge(outcome, await this.applyToRecording(id));
    merge(outcome, await this.withdrawImages(personId));
    return outcome;
  }

  /** The periodic safety net: recordings whose video an opt-out should have removed but has not (a lost job). */
  async reconcile(): Promise<number> {
    const recordings = await this.records.recordingsMissingOptOut(RECONCILE_BATCH);
    let changed = 0;
    for (const id of recordings) {
      const outcome = await this.applyToRecording(id);
      if (outcome.discarded.length + outcome.deletionRequested.length + outcome.derived.length > 0) changed += 1;
    }
    return changed;
  }

  private async apply(recordingId: string): Promise<OptOutOutcome> {
    // The recording's row lock serialises this with ingest of a repeated delivery of the same recording.
    const recording = await this.records.lockRecording(recordingId);
    if (!recording?.session_id) return empty();
    const learners = await this.records.learnersOf(recording.session_id);
    const optOuts = [...(await this.ledger.optedOutOfVideo(learners)).values()];
    if (optOuts.length === 0) return empty();
    // The opt-out in force longest names the reason (learner ids never appear in it).
    const decision = optOuts.sort((a, b) => a.decidedAt.getTime() - b.decidedAt.getTime())[0];
    const reason = `video opt-out by a learner of this session (consent decision ${decision.decisionId})`;

    const artifacts = await this.records.artifactsOf(recordingId);
    const plan = planVideoOptOut(artifacts);
    const outcome = empty();
    for (const videoId of plan.deriveAudioFrom) {
      const id = await this.createDerivedAudio(recordingId, recording.storage_prefix, videoId);
      if (id) outcome.derived.push(id);
    }
    // Extracted audio lives exactly as long as the session's audio (POLICIES §2).
    if (outcome.derived.length > 0) await this.expiry.assignForRecording(recordingId);
    outcome.waiting.push(...plan.waitFor);
    const pending = plan.remove.filter((id) => artifacts.find((a) => a.id === id)?.status === 'pending');
    outcome.deletionRequested.push(...(await this.deletion.requestDeletion(plan.remove, 'opt_out', reason)));
    // A held pending video is not discarded (a hold covers files still being archived): it is
    // archived, and deleted once the hold is released, so only what the rows say now counts.
    outcome.discarded.push(...(await this.records.discardedAmong(pending)));
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
    const id = await this.records.createDerivedAudio(videoId, newObjectKey(storagePrefix, 'm4a'));
    if (!id) return null;
    await this.audit.append(
      { actorId: 'consent', action: 'artifact.announced', subjectType: 'artifact', subjectId: id, details: { recordingId, kind: 'audio', derivedFrom: videoId } },
    );
    return id;
  }

  /** Withdrawn images consent: pictures of the person still kept are deleted (POLICIES §4). */
  private async withdrawImages(personId: string): Promise<OptOutOutcome> {
    const current = await this.ledger.current(personId, 'images');
    if (current?.decision !== 'withdraw') return empty();
    const images = await this.records.imagesPicturing(personId);
    const reason = `images consent withdrawn for a pictured learner (consent decision ${current.decisionId})`;
    return { ...empty(), deletionRequested: await this.deletion.requestDeletion(images, 'opt_out', reason) };
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
