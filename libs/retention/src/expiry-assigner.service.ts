import { Inject, Injectable, Logger } from '@nestjs/common';
import { Sql, Transactions } from '@lib/database';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { anchorsOf, planExpiry } from './expiry-plan';
import { RegionHolidayCalendar } from './holiday-calendar';
import { HolidayCalendar, nextExpiry, PolicyProfileName, STRICTEST_PROFILE } from './policy';
import { RetentionPolicies, RetentionPolicy } from './retention-policies.service';

const RECOMPUTE_PAGE = 1000;
const NO_ID = '00000000-0000-0000-0000-000000000000';

interface MomentRow {
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

const MOMENTS_SQL = `
  SELECT a.id, a.kind, a.status, a.expires_at, a.retention_anchor_at, a.stored_at, a.created_at, a.reviewed_at,
         r.started_at AS recording_start, s.starts_at AS session_start
  FROM artifacts a
  LEFT JOIN recordings r ON r.id = a.recording_id
  LEFT JOIN sessions s ON s.id = COALESCE(r.session_id, a.session_id)`;

/**
 * Gives artifacts their expiry from their profile's current rules: at ingest, when a recording is
 * linked to its session (the profile and the anchor may change), and when a policy changes (every
 * artifact still kept under that profile, a page at a time). What is deleted, discarded or failed
 * is never touched: a longer rule does not revive it.
 */
@Injectable()
export class ExpiryAssigner {
  private readonly logger = new Logger(ExpiryAssigner.name);
  private readonly calendar: HolidayCalendar;
  private readonly unreviewedDays: number;

  constructor(
    private readonly sql: Sql,
    private readonly transactions: Transactions,
    private readonly policies: RetentionPolicies,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.calendar = new RegionHolidayCalendar(config.retention.holidayRegion);
    this.unreviewedDays = config.retention.verificationVideoUnreviewedDays;
  }

  /**
   * Every kept artifact of the recording, under its session's profile (the strictest while no
   * session claims it), its clock starting at the earlier of the session's and the recording's
   * start. Pass the transaction that created or re-linked the recording.
   */
  async assignForRecording(recordingId: string): Promise<number> {
    const owner: Array<{ profile: PolicyProfileName | null }> = await this.sql.rows(
      'SELECT s.policy_profile AS profile FROM recordings r LEFT JOIN sessions s ON s.id = r.session_id WHERE r.id = $1',
      [recordingId],
    );
    if (owner.length === 0) return 0;
    const policy = await this.policies.current(owner[0].profile ?? STRICTEST_PROFILE);
    const rows: MomentRow[] = await this.sql.rows(`${MOMENTS_SQL} WHERE a.recording_id = $1 AND a.status IN ('pending', 'stored')`, [recordingId]);
    return this.apply(rows, policy, false);
  }

  /**
   * The `recompute-expiry` job: re-applies the profile's newest rules to everything still kept under
   * it (artifacts stored before retention existed included), keyset-paged by id. Idempotent.
   */
  async recomputeProfile(profile: PolicyProfileName): Promise<{ version: number; checked: number; changed: number }> {
    const policy = await this.policies.current(profile);
    let after = NO_ID;
    let checked = 0;
    let changed = 0;
    for (;;) {
      const rows: MomentRow[] = await this.sql.rows(
        `${MOMENTS_SQL}
         WHERE a.id > $1 AND a.status IN ('pending', 'stored')
           AND COALESCE(a.policy_profile, s.policy_profile, r.policy_profile, $3) = $2
         ORDER BY a.id LIMIT ${RECOMPUTE_PAGE}`,
        [after, profile, STRICTEST_PROFILE],
      );
      if (rows.length === 0) break;
      checked += rows.length;
      changed += await this.apply(rows, policy, true);
      after = rows[rows.length - 1].id;
    }
    await this.policies.markApplied(profile, policy.version);
    this.logger.log(`policy ${profile} v${policy.version} applied: ${checked} artifact(s) checked, ${changed} expiry change(s)`);
    return { version: policy.version, checked, changed };
  }

  /** Writes expiry, class, profile, version and anchor; returns how many expiries changed. */
  private async apply(rows: MomentRow[], policy: RetentionPolicy, onlySameProfile: boolean): Promise<number> {
    if (rows.length === 0) return 0;
    const ids: string[] = [];
    const expiries: Array<Date | null> = [];
    const classes: string[] = [];
    const anchors: Array<Date | null> = [];
    let changed = 0;
    for (const row of rows) {
      const plan = planExpiry(
        row.kind,
        anchorsOf({
          recordingStart: row.recording_start,
          sessionStart: row.session_start,
          anchorAt: row.retention_anchor_at,
          storedAt: row.stored_at,
          createdAt: row.created_at,
          reviewedAt: row.reviewed_at,
        }),
        policy.rules,
        this.calendar,
        // A recompute keeps an unreviewed verification video's fallback (issue 11 A.10).
        { uploadedAt: row.stored_at ?? row.created_at, days: this.unreviewedDays },
      );
      const next = nextExpiry(row.expires_at, plan.expiresAt, row.status);
      if (next !== 'unchanged') changed += 1;
      ids.push(row.id);
      expiries.push(next === 'unchanged' ? row.expires_at : next);
      classes.push(plan.retentionClass);
      anchors.push(plan.anchorAt);
    }
    await this.sql.rows(
      `UPDATE artifacts a SET expires_at = v.expires_at, retention_class = v.retention_class, retention_anchor_at = v.anchor_at,
         policy_profile = $1, policy_version = $2, updated_at = now()
       FROM unnest($3::uuid[], $4::timestamptz[], $5::text[], $6::timestamptz[]) AS v(id, expires_at, retention_class, anchor_at)
       WHERE a.id = v.id AND a.status IN ('pending', 'stored')
         AND ($7::boolean IS FALSE OR a.policy_profile IS NULL OR a.policy_profile = $1)`,
      [policy.profile, policy.version, ids, expiries, classes, anchors, onlySameProfile],
    );
    return changed;
  }
}
