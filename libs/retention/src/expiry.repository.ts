import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';
import { PolicyProfileName } from './policy';

/** An artifact with the moments its retention clock may start from (`anchorsOf`). */
export interface ArtifactTimesRow {
  id: string;
  kind: string;
  status: string;
  expires_at: Date | null;
  retention_anchor_at: Date | null;
  stored_at: Date | null;
  created_at: Date | null;
  reviewed_at: Date | null;
  recording_start: Date | null;
  session_start: Date | null;
}

/** One artifact's new retention facts. */
export interface ExpiryAssignment {
  id: string;
  expiresAt: Date | null;
  retentionClass: string;
  anchorAt: Date | null;
}

const NO_ID = '00000000-0000-0000-0000-000000000000';

const MOMENTS_COLUMNS = `a.id, a.kind, a.status, a.expires_at, a.retention_anchor_at, a.stored_at, a.created_at, a.reviewed_at,
         r.started_at AS recording_start, s.starts_at AS session_start`;
const MOMENTS_FROM = `FROM artifacts a
  LEFT JOIN recordings r ON r.id = a.recording_id
  LEFT JOIN sessions s ON s.id = COALESCE(r.session_id, a.session_id)`;
const MOMENTS_SQL = `SELECT ${MOMENTS_COLUMNS} ${MOMENTS_FROM}`;

/** Artifacts' expiry: what it is computed from, and writing it. Pending and stored artifacts only. */
@Injectable()
export class ExpiryRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * What is kept of these recordings, each row with the profile of the session that claims its
   * recording (null while none does): one query for a batch of ingested recordings.
   */
  async keptOfRecordings(recordingIds: readonly string[]): Promise<Array<ArtifactTimesRow & { recording_profile: PolicyProfileName | null }>> {
    return this.sql.rows<ArtifactTimesRow & { recording_profile: PolicyProfileName | null }>(
      `SELECT ${MOMENTS_COLUMNS}, rs.policy_profile AS recording_profile ${MOMENTS_FROM}
       LEFT JOIN sessions rs ON rs.id = r.session_id
       WHERE a.recording_id = ANY($1::uuid[]) AND a.status IN ('pending', 'stored')`,
      [recordingIds],
    );
  }

  /**
   * A keyset page (by id, after `afterId`, from the start when null) of what is kept under the
   * profile; an artifact with no profile of its own, its session's or its recording's is under `unclaimedProfile`.
   */
  async keptUnderProfile(profile: PolicyProfileName, unclaimedProfile: PolicyProfileName, afterId: string | null, limit: number): Promise<ArtifactTimesRow[]> {
    return this.sql.rows<ArtifactTimesRow>(
      `${MOMENTS_SQL}
       WHERE a.id > $1 AND a.status IN ('pending', 'stored')
         AND COALESCE(a.policy_profile, s.policy_profile, r.policy_profile, $3) = $2
       ORDER BY a.id LIMIT $4`,
      [afterId ?? NO_ID, profile, unclaimedProfile, limit],
    );
  }

  /**
   * Writes expiry, class and anchor with the policy they came from, to artifacts still pending or
   * stored; with `onlySameProfile`, only to those under that profile or none yet.
   */
  async assign(assignments: ExpiryAssignment[], policy: { profile: PolicyProfileName; version: number }, onlySameProfile: boolean): Promise<void> {
    if (assignments.length === 0) return;
    await this.sql.run(
      `UPDATE artifacts a SET expires_at = v.expires_at, retention_class = v.retention_class, retention_anchor_at = v.anchor_at,
         policy_profile = $1, policy_version = $2, updated_at = now()
       FROM unnest($3::uuid[], $4::timestamptz[], $5::text[], $6::timestamptz[]) AS v(id, expires_at, retention_class, anchor_at)
       WHERE a.id = v.id AND a.status IN ('pending', 'stored')
         AND ($7::boolean IS FALSE OR a.policy_profile IS NULL OR a.policy_profile = $1)`,
      [
        policy.profile,
        policy.version,
        assignments.map((x) => x.id),
        assignments.map((x) => x.expiresAt),
        assignments.map((x) => x.retentionClass),
        assignments.map((x) => x.anchorAt),
        onlySameProfile,
      ],
    );
  }
}
