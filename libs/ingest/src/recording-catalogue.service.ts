import { Injectable } from '@nestjs/common';
import { Transactions } from '@lib/database';
import { AuditTrail } from '@lib/audit';
import { OptOutEnforcer } from '@lib/consent';
import { ActiveHold, ExpiryAssigner, HoldRegistry } from '@lib/retention';
import { SessionNotFound, SessionRegistry } from '@lib/sessions';
import { CatalogueArtifactRow, CatalogueRecordingRow, RecordingCatalogueRepository } from './recording-catalogue.repository';

export class RecordingNotFound extends Error {
  constructor() {
    super('recording not found');
    this.name = 'RecordingNotFound';
  }
}

export interface ArtifactView {
  id: string;
  kind: string;
  status: string;
  sizeBytes: number | null;
  sha256: string | null;
  contentType: string | null;
  durationSeconds: number | null;
  personId: string | null;
  expiresAt: string | null;
  /** The retention class, profile and policy version its expiry comes from. */
  retentionClass: string | null;
  policyProfile: string | null;
  policyVersion: number | null;
  /** A hold covers it: it is not deleted whatever its expiry. */
  held: boolean;
  storedAt: string | null;
  deletedAt: string | null;
  reason: string | null;
  /** Audio extracted from this video (video opt-out without an audio-only file from Zoom). */
  derivedFrom: string | null;
  /** Deletion receipt: the audit entry that records the deletion, and its chained hash. */
  auditEntryId: string | null;
  auditHash: string | null;
}

export interface HoldSummary {
  id: string;
  scope: string;
  targetId: string;
  placedAt: string;
}

export interface RecordingView {
  id: string;
  zoomMeetingUuid: string;
  zoomMeetingId: string;
  sessionId: string | null;
  policyProfile: string;
  status: string;
  startedAt: string;
  zoomCloudState: string;
  /** Active holds covering this recording (by recording, its session, or a person of its session). */
  holds: HoldSummary[];
  artifacts: ArtifactView[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const LIST_LIMIT = 100;

/**
 * What reviewers and admins may read about recordings. Every read is audited, one entry per
 * recording shown (ids only), whether it was read alone or in a list.
 */
@Injectable()
export class RecordingCatalogue {
  constructor(
    private readonly reads: RecordingCatalogueRepository,
    private readonly transactions: Transactions,
    private readonly audit: AuditTrail,
    private readonly sessions: SessionRegistry,
    private readonly expiry: ExpiryAssigner,
    private readonly optOuts: OptOutEnforcer,
    private readonly holds: HoldRegistry,
  ) {}

  async get(recordingId: string, viewerId: string): Promise<RecordingView> {
    if (!isUuid(recordingId)) throw new RecordingNotFound();
    const [view] = await this.views(await this.reads.byId(recordingId));
    if (!view) throw new RecordingNotFound();
    await this.audit.append({ actorId: viewerId, action: 'recording.viewed', subjectType: 'recording', subjectId: recordingId });
    return view;
  }

  async findByMeetingUuid(zoomMeetingUuid: string, viewerId: string): Promise<RecordingView[]> {
    return this.audited(await this.views(await this.reads.byMeetingUuid(zoomMeetingUuid, LIST_LIMIT)), viewerId);
  }

  async unmatched(viewerId: string, limit = LIST_LIMIT): Promise<RecordingView[]> {
    return this.audited(await this.views(await this.reads.unmatched(limit)), viewerId);
  }

  /** An admin ties an unmatched recording to its session; it then lives by that session's policy. */
  async link(recordingId: string, sessionId: string, actorId: string): Promise<RecordingView> {
    if (!isUuid(recordingId)) throw new RecordingNotFound();
    await this.transactions.run(async () => {
      const profile = await this.sessions.policyProfileOf(sessionId);
      if (profile === null) throw new SessionNotFound(sessionId);
      if (!(await this.reads.linkToSession(recordingId, sessionId, profile))) throw new RecordingNotFound();
      await this.sessions.matchParticipantAudio(recordingId, sessionId);
      // It now lives by the session's profile, its clock from the session's start.
      await this.expiry.assignForRecording(recordingId);
      // Lock order: the recording's and artifacts' rows above, the audit trail last.
      await this.audit.append({ actorId, action: 'recording.linked', subjectType: 'recording', subjectId: recordingId, details: { sessionId } });
    });
    // A learner of that session may have opted out of video (POLICIES §4).
    await this.optOuts.applyToRecording(recordingId);
    return this.get(recordingId, actorId);
  }

  /** A list read is audited like single reads: one `recording.viewed` per recording shown. */
  private async audited(views: RecordingView[], viewerId: string): Promise<RecordingView[]> {
    if (views.length === 0) return views;
    await this.transactions.run(async () => {
      for (const view of views) {
        await this.audit.append({ actorId: viewerId, action: 'recording.viewed', subjectType: 'recording', subjectId: view.id, details: { via: 'list' } });
      }
    });
    return views;
  }

  private async views(recordings: CatalogueRecordingRow[]): Promise<RecordingView[]> {
    if (recordings.length === 0) return [];
    const ids = recordings.map((r) => r.id);
    const [artifacts, holds] = [await this.reads.artifactsOf(ids), await this.holds.coveringRecordings(ids)];
    return recordings.map((r) => ({
      id: r.id,
      zoomMeetingUuid: r.zoom_meeting_uuid,
      zoomMeetingId: r.zoom_meeting_id,
      sessionId: r.session_id,
      policyProfile: r.policy_profile,
      status: r.status,
      startedAt: r.started_at.toISOString(),
      zoomCloudState: r.zoom_cloud_state,
      holds: (holds.get(r.id) ?? []).map(holdSummary),
      artifacts: artifacts.filter((a) => a.recording_id === r.id).map(artifactView),
    }));
  }
}

function holdSummary(h: ActiveHold): HoldSummary {
  return { id: h.id, scope: h.scope, targetId: h.targetId, placedAt: h.placedAt.toISOString() };
}

function artifactView(a: CatalogueArtifactRow): ArtifactView {
  return {
    id: a.id,
    kind: a.kind,
    status: a.status,
    sizeBytes: a.size_bytes === null ? null : Number(a.size_bytes),
    sha256: a.sha256,
    contentType: a.content_type,
    durationSeconds: a.duration_seconds,
    personId: a.person_id,
    expiresAt: iso(a.expires_at),
    retentionClass: a.retention_class,
    policyProfile: a.policy_profile,
    policyVersion: a.policy_version,
    held: a.held,
    storedAt: iso(a.stored_at),
    deletedAt: iso(a.deleted_at),
    reason: a.reason,
    derivedFrom: a.derived_from,
    auditEntryId: a.deletion_audit_id,
    auditHash: a.deletion_audit_hash,
  };
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
