import { Injectable, Logger } from '@nestjs/common';
import { Transactions } from '@lib/database';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';
import { OptOutEnforcer } from '@lib/consent';
import { JobQueue } from '@lib/jobs';
import { Metrics } from '@lib/observability';
import { ExpiryAssigner, STRICTEST_PROFILE } from '@lib/retention';
import { SessionRegistry } from '@lib/sessions';
import { newObjectKey, newStoragePrefix } from '@lib/storage';
import { matchRosterName } from '@lib/text';
import { DeliveryInbox, StoredDelivery } from './delivery-inbox.repository';
import { nextRedriveAt } from './delivery-redrive';
import { MalformedDelivery } from './ingest-errors';
import { RecordingRepository } from './recording.repository';
import { meetingRounds } from './meeting-rounds';
import { ParsedDelivery, parseDelivery } from './zoom-delivery';
import { AnnouncedFile, ZoomArtifactRepository } from './zoom-artifact.repository';
import { ZoomCloudChangeEvent, ZoomRecordingEvent } from '@lib/zoom';
import { planArtifacts } from './zoom-files';

const ZOOM_ACTOR = 'zoom';

/** Reasons that will not change with a new download link: such a failed file is not re-armed. */
const FINAL_REASONS = /^download refused/;

/** The job's payload: the inbox row and the arming of it the job was queued for. */
export interface DeliveryJob {
  deliveryId: string;
  generation: number;
}

/** What became of one job of a batch: null when done (or nothing was left to do), else why it failed. */
export type DeliveryOutcome = Error | null;

interface ReadyDelivery {
  delivery: StoredDelivery;
  parsed: ParsedDelivery;
}

@Injectable()
export class RecordingIngest {
  private readonly logger = new Logger(RecordingIngest.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly inbox: DeliveryInbox,
    private readonly recordings: RecordingRepository,
    private readonly artifacts: ZoomArtifactRepository,
    private readonly metrics: Metrics,
    private readonly sessions: SessionRegistry,
    private readonly audit: AuditTrail,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly expiry: ExpiryAssigner,
    private readonly optOuts: OptOutEnforcer,
  ) {}

  /**
   * `process-delivery` jobs taken together (docs/ingest.md#batched-ingest): turns their inbox rows
   * into recordings and artifacts in one transaction, with set-based statements. Answers, per job,
   * null (done, or nothing left to do) or why it failed. If the batch cannot commit as a whole, each
   * delivery is ingested alone, so one the database refuses fails alone and the rest are kept.
   */
  async processDeliveries(jobs: readonly DeliveryJob[]): Promise<DeliveryOutcome[]> {
    const stored = await this.inbox.loadMany([...new Set(jobs.map((j) => j.deliveryId))]);
    const outcomes: DeliveryOutcome[] = jobs.map(() => null);
    const taken = new Set<string>();
    const ready: ReadyDelivery[] = [];
    for (const [i, job] of jobs.entries()) {
      const delivery = stored.get(job.deliveryId);
      // Gone, processed by an earlier job, or queued twice in this batch: nothing (more) to do.
      if (!delivery || delivery.status !== 'received' || taken.has(delivery.id)) continue;
      taken.add(delivery.id);
      try {
        ready.push({ delivery, parsed: parseDelivery(delivery.body) });
      } catch (error) {
        // It parsed at intake: a body that no longer does will not parse on a re-drive either.
        if (error instanceof MalformedDelivery) await this.failDelivery(delivery.id, delivery.generation, delivery.redrives, error, true);
        outcomes[i] = error as Error;
      }
    }
    const failures = await this.ingestTogether(ready);
    jobs.forEach((job, i) => (outcomes[i] ??= failures.get(job.deliveryId) ?? null));
    return outcomes;
  }

  /** All in one transaction; if that fails, each alone. Answers the failures by delivery id. */
  private async ingestTogether(ready: ReadyDelivery[]): Promise<Map<string, Error>> {
    const failures = new Map<string, Error>();
    if (ready.length === 0) return failures;
    this.metrics.ingestBatchSize.observe(ready.length);
    try {
      await this.ingest(ready);
    } catch (error) {
      if (ready.length === 1) return failures.set(ready[0].delivery.id, error as Error);
      this.metrics.ingestBatchFallbacks.inc();
      this.logger.warn(`${ready.length} deliveries could not be ingested together (${(error as Error).name}); ingesting them one by one`);
      for (const one of ready) await this.ingest([one]).catch((e: Error) => failures.set(one.delivery.id, e));
    }
    return failures;
  }

  /**
   * One transaction: the deliveries are marked processed (their rows locked first, in id order:
   * rows before the audit trail) together with what they changed, and the archive jobs are queued
   * after that commits; the relay queues any pending file whose job was lost.
   */
  private async ingest(ready: readonly ReadyDelivery[]): Promise<void> {
    await this.transactions.run(async () => {
      await this.inbox.markProcessed(
        ready.map(({ delivery }) => ({ id: delivery.id, lastReceivedAt: delivery.lastReceivedAt })),
        this.clock.now(),
      );
      // The token lives in its own column, never in the stored body (docs/ingest.md).
      const recordings = ready.flatMap(({ delivery, parsed }) =>
        parsed.kind === 'recording' ? [{ ...parsed.event, download_token: delivery.downloadToken ?? undefined }] : [],
      );
      const toArchive = new Set<string>();
      for (const round of meetingRounds(recordings.map((event) => event.payload.object.uuid))) {
        for (const id of await this.ingestRecordings(round.map((i) => recordings[i]))) toArchive.add(id);
      }
      for (const { parsed } of ready) if (parsed.kind === 'cloud_change') await this.noteCloudChange(parsed.event);
      if (toArchive.size > 0) await this.transactions.afterCommit(() => this.queueArchives([...toArchive]));
    });
  }

  private async queueArchives(artifactIds: string[]): Promise<void> {
    await this.jobs.enqueueMany(
      'archive-artifact',
      artifactIds.map((artifactId) => ({ artifactId })),
    );
  }

  /** Every job attempt failed: the row waits for its re-drive, or is given up after the last one. */
  async markDeliveryFailed(job: DeliveryJob, error: Error): Promise<void> {
    const delivery = await this.inbox.load(job.deliveryId);
    if (!delivery || delivery.generation !== job.generation) return; // re-armed meanwhile: its own job runs
    await this.failDelivery(delivery.id, delivery.generation, delivery.redrives, error, false);
  }

  private async failDelivery(id: string, generation: number, redrives: number, error: Error, permanent: boolean): Promise<void> {
    const now = this.clock.now();
    const next = permanent ? null : nextRedriveAt(redrives, now);
    // The stored reason is the error's class only: messages from the database can quote values.
    if (!(await this.inbox.markFailed(id, generation, error.name || 'Error', next, now))) return;
    this.metrics.deliveryRedrives.inc({ event: 'failed' });
    if (next) {
      this.logger.warn(`delivery ${id} failed (${error.name}); re-drive ${redrives + 1} at ${next.toISOString()}`);
    } else {
      this.metrics.deliveryRedrives.inc({ event: 'given_up' });
      this.logger.error(`delivery ${id} failed (${error.name}) after ${redrives} re-drives; given up`);
    }
  }

  /**
   * Recordings and artifacts of deliveries of distinct meeting instances, in set-based statements.
   * Returns the ids of artifacts that need (or may need) archiving.
   */
  private async ingestRecordings(events: readonly ZoomRecordingEvent[]): Promise<string[]> {
    const objects = events.map((event) => event.payload.object);
    const meetings = objects.map((o) => ({ zoomMeetingId: String(o.id), startedAt: new Date(o.start_time) }));
    const sessions = await this.sessions.findSessionsFor(meetings);
    const recordings = await this.recordings.upsertManyFromZoom(
      events.map((event, i) => ({
        zoomMeetingUuid: objects[i].uuid,
        zoomMeetingId: meetings[i].zoomMeetingId,
        zoomAccountId: event.payload.account_id ?? objects[i].account_id ?? null,
        zoomHostId: objects[i].host_id ?? null,
        sessionId: sessions[i]?.id ?? null,
        policyProfile: sessions[i]?.policyProfile ?? STRICTEST_PROFILE,
        startedAt: meetings[i].startedAt,
        durationMinutes: objects[i].duration ?? null,
        storagePrefix: newStoragePrefix(),
        downloadToken: event.download_token ?? null,
      })),
    );
    await this.audit.appendMany(
      recordings.flatMap((recording) =>
        recording.inserted
          ? [{ actorId: ZOOM_ACTOR, action: 'recording.received', subjectType: 'recording', subjectId: recording.id, details: { sessionId: recording.sessionId, matched: recording.sessionId !== null } }]
          : [],
      ),
    );
    const rosters = await this.sessions.rosters(recordings.flatMap((r) => (r.sessionId ? [r.sessionId] : [])));
    const pending = await this.upsertArtifacts(
      recordings.flatMap((recording, i) => {
        const roster = (recording.sessionId && rosters.get(recording.sessionId)) || [];
        return planArtifacts(objects[i]).map((planned) => ({
          recordingId: recording.id,
          planned,
          storageKey: newObjectKey(recording.storagePrefix, planned.fileExtension),
          personId: planned.participantLabel ? (matchRosterName(planned.participantLabel, roster)?.personId ?? null) : null,
        }));
      }),
    );
    // POLICIES §4: a learner's video opt-out withholds the MP4s before a byte is downloaded;
    // without an M4A, audio artifacts to extract from them take their place.
    const optOuts = await this.optOuts.applyToRecordings(recordings.map((r) => r.id));
    const toArchive = new Map<string, string[]>();
    for (const recording of recordings) {
      const optOut = optOuts.get(recording.id);
      const ids = (pending.get(recording.id) ?? []).filter((id) => !optOut?.discarded.includes(id));
      toArchive.set(recording.id, [...ids, ...(optOut?.derived ?? [])]);
    }
    await this.recordings.markArchiving([...toArchive].filter(([, ids]) => ids.length > 0).map(([id]) => id));
    // Every artifact has its expiry from the moment it exists (POLICIES §2), before any byte is stored.
    await this.expiry.assignForRecordings(recordings.map((r) => r.id));
    return [...toArchive.values()].flat();
  }

  /**
   * One Zoom file, one artifact (all of the batch's in one statement): a repeat delivery of a
   * stored file changes nothing; a pending one takes the newest link; a failed one is re-armed (a
   * later delivery may succeed) unless the failure cannot change with a new link. Answers the ids
   * of those pending, which need archiving, by recording.
   */
  private async upsertArtifacts(files: AnnouncedFile[]): Promise<Map<string, string[]>> {
    const rows = await this.artifacts.upsertAnnouncedMany(files, FINAL_REASONS);
    await this.audit.appendMany(
      rows.flatMap((row, i) =>
        row.inserted
          ? [{ actorId: ZOOM_ACTOR, action: 'artifact.announced', subjectType: 'artifact', subjectId: row.id, details: { recordingId: files[i].recordingId, kind: files[i].planned.kind } }]
          : [],
      ),
    );
    const pending = new Map<string, string[]>();
    rows.forEach((row, i) => {
      if (row.status !== 'pending') return;
      const ids = pending.get(files[i].recordingId) ?? [];
      ids.push(row.id);
      pending.set(files[i].recordingId, ids);
    });
    return pending;
  }

  /**
   * Someone trashed, deleted or recovered Zoom's cloud copy. Noted on the recording and in the
   * audit trail; our copy lives by our retention, not Zoom's. The change our own trash or delete
   * call causes comes back as one of these and is recognised as ours.
   */
  private async noteCloudChange(event: ZoomCloudChangeEvent): Promise<void> {
    const state = ({ 'recording.trashed': 'trashed', 'recording.deleted': 'deleted', 'recording.recovered': 'recovered' } as const)[event.event];
    const at = event.event_ts ? new Date(event.event_ts) : this.clock.now();
    await this.transactions.run(async () => {
      const r = await this.recordings.lockByMeetingUuid(event.payload.object.uuid);
      if (!r) {
        this.logger.log(`cloud copy ${state} for a meeting we hold no recording of; nothing to note`);
        return;
      }
      const ours =
        r.requestedAt !== null && ((state === 'trashed' && r.action === 'trash') || (state === 'deleted' && r.action === 'delete'));
      await this.recordings.noteCloudState(r.id, state, at);
      await this.audit.append(
        {
          actorId: ours ? 'recording-service' : `zoom-user:${event.payload.operator_id ?? 'unknown'}`,
          action: `zoom.cloud_copy_${state}`,
          subjectType: 'recording',
          subjectId: r.id,
          details: { ours },
        },
      );
    });
  }
}
