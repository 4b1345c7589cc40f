import { Injectable, Logger } from '@nestjs/common';
import { Sql, Transactions } from '@lib/database';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';
import { OptOutEnforcer } from '@lib/consent';
import { JobQueue } from '@lib/jobs';
import { ExpiryAssigner } from '@lib/retention';
import { SessionRegistry } from '@lib/sessions';
import { newObjectKey, newStoragePrefix } from '@lib/storage';
import { matchRosterName } from '@lib/text';
import { DeliveryInbox } from './delivery-inbox.repository';
import { parseDelivery } from './zoom-delivery';
import { ZoomCloudChangeEvent, ZoomRecordingEvent } from '@lib/zoom';
import { PlannedArtifact, planArtifacts } from './zoom-files';

/** The policy profile a recording keeps while no registered session claims it: the strictest. */
export const STRICTEST_PROFILE = 'tutoring';
const ZOOM_ACTOR = 'zoom';

/** Reasons that will not change with a new download link: such a failed file is not re-armed. */
const FINAL_REASONS = /^download refused/;

@Injectable()
export class RecordingIngest {
  private readonly logger = new Logger(RecordingIngest.name);

  constructor(
    private readonly sql: Sql,
    private readonly transactions: Transactions,
    private readonly inbox: DeliveryInbox,
    private readonly sessions: SessionRegistry,
    private readonly audit: AuditTrail,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly expiry: ExpiryAssigner,
    private readonly optOuts: OptOutEnforcer,
  ) {}

  /** The `process-delivery` job: turns one inbox row into a recording and its artifacts. */
  async processDelivery(deliveryId: string): Promise<void> {
    const delivery = await this.inbox.load(deliveryId);
    if (!delivery || delivery.status !== 'received') return;
    const parsed = parseDelivery(delivery.body);
    if (parsed.kind === 'recording') {
      const toArchive = await this.ingestRecording(parsed.event);
      for (const artifactId of toArchive) await this.jobs.enqueue('archive-artifact', { artifactId });
    } else if (parsed.kind === 'cloud_change') {
      await this.noteCloudChange(parsed.event);
    }
    await this.inbox.markProcessed(delivery.id, delivery.lastReceivedAt, this.clock.now());
  }

  async markDeliveryFailed(deliveryId: string, error: Error): Promise<void> {
    await this.inbox.markFailed(deliveryId, error.message);
  }

  /** Returns the ids of artifacts that need (or may need) archiving. */
  private ingestRecording(event: ZoomRecordingEvent): Promise<string[]> {
    const object = event.payload.object;
    return this.transactions.run(async () => {
      const startedAt = new Date(object.start_time);
      const meetingId = String(object.id);
      const session = await this.sessions.findSessionFor(meetingId, startedAt);
      const inserted: Array<{ id: string; session_id: string | null; inserted: boolean }> = await this.sql.rows(
        `INSERT INTO recordings AS r (zoom_meeting_uuid, zoom_meeting_id, zoom_account_id, zoom_host_id, session_id,
           policy_profile, started_at, duration_minutes, status, storage_prefix, download_token)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'archiving', $9, $10)
         ON CONFLICT (zoom_meeting_uuid) DO UPDATE SET
           download_token = COALESCE(EXCLUDED.download_token, r.download_token),
           duration_minutes = GREATEST(r.duration_minutes, EXCLUDED.duration_minutes),
           updated_at = now()
         RETURNING id, session_id, (xmax = 0) AS inserted`,
        [
          object.uuid,
          meetingId,
          event.payload.account_id ?? object.account_id ?? null,
          object.host_id ?? null,
          session?.id ?? null,
          session?.policyProfile ?? STRICTEST_PROFILE,
          startedAt,
          object.duration ?? null,
          newStoragePrefix(),
          event.download_token ?? null,
        ],
      );
      const recording = inserted[0];
      if (recording.inserted) {
        await this.audit.append(
          {
            actorId: ZOOM_ACTOR,
            action: 'recording.received',
            subjectType: 'recording',
            subjectId: recording.id,
            details: { sessionId: recording.session_id, matched: recording.session_id !== null },
          },
        );
      }
      const prefix: Array<{ storage_prefix: string }> = await this.sql.rows('SELECT storage_prefix FROM recordings WHERE id = $1', [recording.id]);
      const roster = recording.session_id ? await this.sessions.roster(recording.session_id) : [];
      let toArchive: string[] = [];
      for (const planned of planArtifacts(object)) {
        const personId = planned.participantLabel ? (matchRosterName(planned.participantLabel, roster)?.personId ?? null) : null;
        const id = await this.upsertArtifact(recording.id, prefix[0].storage_prefix, planned, personId);
        if (id) toArchive.push(id);
      }
      // POLICIES §4: a learner's video opt-out withholds the MP4s before a byte is downloaded;
      // without an M4A, audio artifacts to extract from them take their place.
      const optOut = await this.optOuts.applyToRecording(recording.id);
      toArchive = [...toArchive.filter((id) => !optOut.discarded.includes(id)), ...optOut.derived];
      await this.sql.rows(`UPDATE recordings SET status = 'archiving' WHERE id = $1 AND $2::int > 0`, [recording.id, toArchive.length]);
      // Every artifact has its expiry from the moment it exists (POLICIES §2), before any byte is stored.
      await this.expiry.assignForRecording(recording.id);
      return toArchive;
    });
  }

  /**
   * One Zoom file, one artifact: a repeat delivery of a stored file changes nothing; a pending one
   * takes the newest link; a failed one is re-armed (a later delivery may succeed) unless the
   * failure cannot change with a new link.
   */
  private async upsertArtifact(
    recordingId: string,
    storagePrefix: string,
    p: PlannedArtifact,
    personId: string | null,
  ): Promise<string | null> {
    const rows: Array<{ id: string; status: string; inserted: boolean }> = await this.sql.rows(
      `INSERT INTO artifacts AS a (recording_id, kind, zoom_file_key, zoom_file_type, zoom_recording_type, zoom_file_status,
         file_extension, source_url, recording_start, recording_end, person_id, storage_key, content_type, expected_size, status,
         participant_label)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'pending', $16)
       ON CONFLICT (recording_id, zoom_file_key) DO UPDATE SET
         source_url = CASE WHEN a.status IN ('pending', 'failed') THEN EXCLUDED.source_url ELSE a.source_url END,
         zoom_file_status = CASE WHEN a.status IN ('pending', 'failed') THEN EXCLUDED.zoom_file_status ELSE a.zoom_file_status END,
         expected_size = COALESCE(a.expected_size, EXCLUDED.expected_size),
         status = CASE WHEN a.status = 'failed' AND (a.reason IS NULL OR a.reason !~ $15) THEN 'pending' ELSE a.status END,
         reason = CASE WHEN a.status = 'failed' AND (a.reason IS NULL OR a.reason !~ $15) THEN NULL ELSE a.reason END,
         updated_at = now()
       RETURNING id, status, (xmax = 0) AS inserted`,
      [
        recordingId,
        p.kind,
        p.zoomFileKey,
        p.zoomFileType,
        p.zoomRecordingType,
        p.zoomFileStatus,
        p.fileExtension,
        p.sourceUrl,
        p.recordingStart,
        p.recordingEnd,
        personId,
        newObjectKey(storagePrefix, p.fileExtension),
        p.contentType,
        p.expectedSize,
        FINAL_REASONS.source,
        // Kept so the track can still be matched to a person when its session is registered later;
        // erasure clears it.
        p.participantLabel,
      ],
    );
    const row = rows[0];
    if (row.inserted) {
      await this.audit.append(
        { actorId: ZOOM_ACTOR, action: 'artifact.announced', subjectType: 'artifact', subjectId: row.id, details: { recordingId, kind: p.kind } },
      );
    }
    return row.status === 'pending' ? row.id : null;
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
      const rows: Array<{ id: string; cloud_copy_action: string | null; cloud_copy_requested_at: Date | null }> = await this.sql.rows(
        'SELECT id, cloud_copy_action, cloud_copy_requested_at FROM recordings WHERE zoom_meeting_uuid = $1 FOR UPDATE',
        [event.payload.object.uuid],
      );
      if (rows.length === 0) {
        this.logger.log(`cloud copy ${state} for a meeting we hold no recording of; nothing to note`);
        return;
      }
      const r = rows[0];
      const ours =
        r.cloud_copy_requested_at !== null &&
        ((state === 'trashed' && r.cloud_copy_action === 'trash') || (state === 'deleted' && r.cloud_copy_action === 'delete'));
      await this.sql.rows('UPDATE recordings SET zoom_cloud_state = $2, zoom_cloud_changed_at = $3, updated_at = now() WHERE id = $1', [r.id, state, at]);
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
