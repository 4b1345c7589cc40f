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
import { DeliveryInbox } from './delivery-inbox.repository';
import { nextRedriveAt } from './delivery-redrive';
import { MalformedDelivery } from './ingest-errors';
import { RecordingRepository } from './recording.repository';
import { parseDelivery } from './zoom-delivery';
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

  /** The `process-delivery` job: turns one inbox row into a recording and its artifacts. */
  async processDelivery(job: DeliveryJob): Promise<void> {
    const delivery = await this.inbox.load(job.deliveryId);
    if (!delivery || delivery.status !== 'received') return;
    let parsed;
    try {
      parsed = parseDelivery(delivery.body);
    } catch (error) {
      // It parsed at intake: a body that no longer does will not parse on a re-drive either.
      if (error instanceof MalformedDelivery) await this.failDelivery(delivery.id, delivery.generation, delivery.redrives, error, true);
      throw error;
    }
    // One transaction: the delivery is marked processed (its row locked first: rows before the audit
    // trail) together with what it changed, and the archive jobs are queued after that commits; the
    // relay queues any pending file whose job was lost.
    await this.transactions.run(async () => {
      await this.inbox.markProcessed(delivery.id, delivery.lastReceivedAt, this.clock.now());
      if (parsed.kind === 'recording') {
        // The token lives in its own column, never in the stored body (docs/ingest.md).
        const toArchive = await this.ingestRecording({ ...parsed.event, download_token: delivery.downloadToken ?? undefined });
        await this.transactions.afterCommit(() => this.queueArchives(toArchive));
      } else if (parsed.kind === 'cloud_change') {
        await this.noteCloudChange(parsed.event);
      }
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

  /** Returns the ids of artifacts that need (or may need) archiving. */
  private ingestRecording(event: ZoomRecordingEvent): Promise<string[]> {
    const object = event.payload.object;
    return this.transactions.run(async () => {
      const startedAt = new Date(object.start_time);
      const meetingId = String(object.id);
      const session = await this.sessions.findSessionFor(meetingId, startedAt);
      const recording = await this.recordings.upsertFromZoom({
        zoomMeetingUuid: object.uuid,
        zoomMeetingId: meetingId,
        zoomAccountId: event.payload.account_id ?? object.account_id ?? null,
        zoomHostId: object.host_id ?? null,
        sessionId: session?.id ?? null,
        policyProfile: session?.policyProfile ?? STRICTEST_PROFILE,
        startedAt,
        durationMinutes: object.duration ?? null,
        storagePrefix: newStoragePrefix(),
        downloadToken: event.download_token ?? null,
      });
      if (recording.inserted) {
        await this.audit.append({
          actorId: ZOOM_ACTOR,
          action: 'recording.received',
          subjectType: 'recording',
          subjectId: recording.id,
          details: { sessionId: recording.sessionId, matched: recording.sessionId !== null },
        });
      }
      const roster = recording.sessionId ? await this.sessions.roster(recording.sessionId) : [];
      let toArchive = await this.upsertArtifacts(
        recording.id,
        planArtifacts(object).map((planned) => ({
          planned,
          storageKey: newObjectKey(recording.storagePrefix, planned.fileExtension),
          personId: planned.participantLabel ? (matchRosterName(planned.participantLabel, roster)?.personId ?? null) : null,
        })),
      );
      // POLICIES §4: a learner's video opt-out withholds the MP4s before a byte is downloaded;
      // without an M4A, audio artifacts to extract from them take their place.
      const optOut = await this.optOuts.applyToRecording(recording.id);
      toArchive = [...toArchive.filter((id) => !optOut.discarded.includes(id)), ...optOut.derived];
      if (toArchive.length > 0) await this.recordings.markArchiving(recording.id);
      // Every artifact has its expiry from the moment it exists (POLICIES §2), before any byte is stored.
      await this.expiry.assignForRecording(recording.id);
      return toArchive;
    });
  }

  /**
   * One Zoom file, one artifact (all of a delivery's in one statement): a repeat delivery of a
   * stored file changes nothing; a pending one takes the newest link; a failed one is re-armed (a
   * later delivery may succeed) unless the failure cannot change with a new link. Answers the ids
   * of those pending, which need archiving.
   */
  private async upsertArtifacts(recordingId: string, files: AnnouncedFile[]): Promise<string[]> {
    const rows = await this.artifacts.upsertAnnouncedMany(recordingId, files, FINAL_REASONS);
    await this.audit.appendMany(
      rows.flatMap((row, i) =>
        row.inserted
          ? [{ actorId: ZOOM_ACTOR, action: 'artifact.announced', subjectType: 'artifact', subjectId: row.id, details: { recordingId, kind: files[i].planned.kind } }]
          : [],
      ),
    );
    return rows.filter((row) => row.status === 'pending').map((row) => row.id);
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
