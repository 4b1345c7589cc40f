import { ServiceHarness } from './harness';
import { waitFor } from './wait';

/** Reading what the service wrote: recordings, artifacts and the audit trail, as rows. */

export interface ArtifactRow {
  id: string;
  recording_id: string;
  kind: string;
  status: string;
  storage_key: string;
  zoom_file_key: string | null;
  derived_from: string | null;
  reason: string | null;
  person_id: string | null;
  size_bytes: string | null;
  sha256: string | null;
  attempts: number;
  stored_at: Date | null;
  media_info: { streams: Array<{ type: string; codec: string | null }> } | null;
  expires_at: Date | null;
  policy_profile: string | null;
  policy_version: number | null;
  retention_class: string | null;
  /** The recording's folder in the bucket. */
  storage_prefix: string;
}

const ARTIFACT_COLUMNS = `a.id, a.recording_id, a.kind, a.status, a.storage_key, a.zoom_file_key, a.derived_from, a.reason, a.person_id,
  a.size_bytes, a.sha256, a.attempts, a.stored_at, a.media_info, a.expires_at, a.policy_profile, a.policy_version, a.retention_class,
  r.storage_prefix`;

/** A recording's artifacts by kind, then in the order they were created (or only in that order). */
export const artifactsOf = (harness: ServiceHarness, recordingId: string, order: 'by-kind' | 'created' = 'by-kind') =>
  harness.query<ArtifactRow>(
    `SELECT ${ARTIFACT_COLUMNS} FROM artifacts a JOIN recordings r ON r.id = a.recording_id
     WHERE a.recording_id = $1 ORDER BY ${order === 'by-kind' ? 'a.kind, ' : ''}a.created_at, a.id`,
    [recordingId],
  );

/** The artifacts of a Zoom meeting instance (by its uuid), in the order they were created. */
export const artifactsOfMeeting = (harness: ServiceHarness, uuid: string) =>
  harness.query<ArtifactRow>(
    `SELECT ${ARTIFACT_COLUMNS} FROM artifacts a JOIN recordings r ON r.id = a.recording_id
     WHERE r.zoom_meeting_uuid = $1 ORDER BY a.created_at, a.id`,
    [uuid],
  );

/** Waits until a meeting instance has `count` artifacts and none is pending. */
export function settledArtifacts(harness: ServiceHarness, uuid: string, count: number, timeoutMs = 20_000): Promise<ArtifactRow[]> {
  return waitFor(
    async () => {
      const rows = await artifactsOfMeeting(harness, uuid);
      return rows.length === count && rows.every((a) => a.status !== 'pending') ? rows : null;
    },
    `${count} artifact(s) of ${uuid} to settle`,
    timeoutMs,
  );
}

export async function recordingIdOf(harness: ServiceHarness, uuid: string): Promise<string> {
  const [row] = await harness.query<{ id: string }>('SELECT id FROM recordings WHERE zoom_meeting_uuid = $1', [uuid]);
  return row.id;
}

/** Audit entries of one subject and action, oldest first, with their details (the API lists ids and actions only). */
export function auditOf(harness: ServiceHarness, subjectId: string, action: string) {
  return harness.query<{ actor_id: string; details: Record<string, unknown> }>(
    'SELECT actor_id, details FROM audit_log WHERE subject_id = $1 AND action = $2 ORDER BY id',
    [subjectId, action],
  );
}
