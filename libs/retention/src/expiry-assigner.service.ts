import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { anchorsOf, planExpiry } from './expiry-plan';
import { ArtifactTimesRow, ExpiryAssignment, ExpiryRepository } from './expiry.repository';
import { HOLIDAY_CALENDAR } from './holiday-calendar';
import { HolidayCalendar, nextExpiry, PolicyProfileName, STRICTEST_PROFILE } from './policy';
import { RetentionPolicies, RetentionPolicy } from './retention-policies.service';

const RECOMPUTE_PAGE = 1000;

/**
 * Gives artifacts their expiry from their profile's current rules: at ingest, when a recording is
 * linked to its session (the profile and the anchor may change), and when a policy changes (every
 * artifact still kept under that profile, a page at a time). What is deleted, discarded or failed
 * is never touched: a longer rule does not revive it.
 */
@Injectable()
export class ExpiryAssigner {
  private readonly logger = new Logger(ExpiryAssigner.name);
  private readonly unreviewedDays: number;

  constructor(
    private readonly artifacts: ExpiryRepository,
    private readonly policies: RetentionPolicies,
    @Inject(HOLIDAY_CALENDAR) private readonly calendar: HolidayCalendar,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.unreviewedDays = config.retention.verificationVideoUnreviewedDays;
  }

  /**
   * Every kept artifact of the recording, under its session's profile (the strictest while no
   * session claims it), its clock starting at the earlier of the session's and the recording's
   * start. Joins the transaction that created or re-linked the recording.
   */
  assignForRecording(recordingId: string): Promise<number> {
    return this.assignForRecordings([recordingId]);
  }

  /**
   * `assignForRecording` for the recordings of deliveries ingested together: their kept artifacts
   * in one query, each profile's current policy read once.
   */
  async assignForRecordings(recordingIds: readonly string[]): Promise<number> {
    if (recordingIds.length === 0) return 0;
    const byProfile = new Map<PolicyProfileName, ArtifactTimesRow[]>();
    for (const { recording_profile, ...row } of await this.artifacts.keptOfRecordings(recordingIds)) {
      const profile = recording_profile ?? STRICTEST_PROFILE;
      const rows = byProfile.get(profile) ?? [];
      rows.push(row);
      byProfile.set(profile, rows);
    }
    let changed = 0;
    for (const [profile, rows] of byProfile) changed += await this.apply(rows, await this.policies.current(profile), false);
    return changed;
  }

  /**
   * The `recompute-expiry` job: re-applies the profile's newest rules to everything still kept under
   * it (artifacts stored before retention existed included), keyset-paged by id. Idempotent.
   */
  async recomputeProfile(profile: PolicyProfileName): Promise<{ version: number; checked: number; changed: number }> {
    const policy = await this.policies.current(profile);
    let after: string | null = null;
    let checked = 0;
    let changed = 0;
    for (;;) {
      const rows = await this.artifacts.keptUnderProfile(profile, STRICTEST_PROFILE, after, RECOMPUTE_PAGE);
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
  private async apply(rows: ArtifactTimesRow[], policy: RetentionPolicy, onlySameProfile: boolean): Promise<number> {
    if (rows.length === 0) return 0;
    const assignments: ExpiryAssignment[] = [];
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
      assignments.push({ id: row.id, expiresAt: next === 'unchanged' ? row.expires_at : next, retentionClass: plan.retentionClass, anchorAt: plan.anchorAt });
    }
    await this.artifacts.assign(assignments, policy, onlySameProfile);
    return changed;
  }
}
