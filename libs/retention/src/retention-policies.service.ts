import { Injectable, Logger } from '@nestjs/common';
import { Sql, Transactions } from '@lib/database';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';
import { JobQueue } from '@lib/jobs';
import { DEFAULT_POLICIES, PolicyProfileName, RetentionRule, RetentionRules, validateRules } from './policy';

export const POLICY_PROFILES: readonly PolicyProfileName[] = ['tutoring', 'classes'];

export interface RetentionPolicy {
  profile: PolicyProfileName;
  version: number;
  rules: RetentionRules;
  createdAt: string;
  createdBy: string;
}

export class UnknownPolicyProfile extends Error {
  constructor(readonly profile: string) {
    super(`unknown policy profile "${profile}" (known: ${POLICY_PROFILES.join(', ')})`);
    this.name = 'UnknownPolicyProfile';
  }
}

/** Serialises changes of one profile's rules, so two admins never write the same version. */
const POLICY_CHANGE_LOCK = 7_302_115_101;

/**
 * The retention rules in force: one row per profile and version, the newest version applies.
 * A change is a new version (never an edit), audited, and re-computes the expiry of everything
 * still kept under that profile (the `recompute-expiry` job).
 */
@Injectable()
export class RetentionPolicies {
  private readonly logger = new Logger(RetentionPolicies.name);

  constructor(
    private readonly sql: Sql,
    private readonly transactions: Transactions,
    private readonly audit: AuditTrail,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  async current(profile: string): Promise<RetentionPolicy> {
    const name = checkProfile(profile);
    const rows: PolicyRow[] = await this.sql.rows(
      `SELECT profile, version, rules, created_at, created_by FROM retention_policies
       WHERE profile = $1 ORDER BY version DESC LIMIT 1`,
      [name],
    );
    // The migration seeds version 1 of each profile; a database without it still gets the defaults.
    return rows[0] ? toPolicy(rows[0]) : { profile: name, version: 1, rules: DEFAULT_POLICIES[name], createdAt: new Date(0).toISOString(), createdBy: 'system' };
  }

  async list(): Promise<RetentionPolicy[]> {
    return Promise.all(POLICY_PROFILES.map((p) => this.current(p)));
  }

  /**
   * A new version of the profile's rules. Kinds left out keep their current rule. Shortening
   * applies at once (the next sweep deletes what is now due); lengthening extends what is still
   * kept and never revives what is gone.
   */
  async update(profile: string, changes: unknown, actorId: string): Promise<RetentionPolicy> {
    const name = checkProfile(profile);
    const policy = await this.transactions.run(async () => {
      await this.sql.rows('SELECT pg_advisory_xact_lock($1)', [POLICY_CHANGE_LOCK]);
      const previous = await this.current(name);
      const merged = typeof changes === 'object' && changes !== null && !Array.isArray(changes) ? { ...previous.rules, ...changes } : changes;
      const rules = validateRules(merged);
      const version = previous.version + 1;
      const rows: PolicyRow[] = await this.sql.rows(
        `INSERT INTO retention_policies (profile, version, rules, created_at, created_by) VALUES ($1, $2, $3, $4, $5)
         RETURNING profile, version, rules, created_at, created_by`,
        [name, version, JSON.stringify(rules), this.clock.now(), actorId],
      );
      const changedKinds = (Object.keys(rules) as Array<keyof RetentionRules>).filter((kind) => !sameRule(rules[kind], previous.rules[kind]));
      await this.audit.append(
        {
          actorId,
          action: 'retention_policy.changed',
          subjectType: 'retention_policy',
          subjectId: name,
          details: { version, previousVersion: previous.version, changedKinds: changedKinds.join(',') },
        },
      );
      return toPolicy(rows[0]);
    });
    // After the commit, or the job could read the previous version. A job lost with Redis is queued
    // again by the sweep scheduler, which re-applies every latest version not yet marked applied.
    await this.jobs.enqueue('recompute-expiry', { profile: name, version: policy.version }).catch((error: Error) => {
      this.logger.warn(`recompute-expiry for ${name} v${policy.version} not queued: ${error.message}`);
    });
    return policy;
  }

  /** Latest versions whose re-computation has not finished (a lost job, or a fresh database). */
  async unapplied(): Promise<Array<{ profile: PolicyProfileName; version: number }>> {
    return this.sql.rows(
      `SELECT DISTINCT ON (profile) profile, version, applied_at FROM retention_policies ORDER BY profile, version DESC`,
    ).then((rows: Array<{ profile: PolicyProfileName; version: number; applied_at: Date | null }>) =>
      rows.filter((r) => r.applied_at === null).map(({ profile, version }) => ({ profile, version })),
    );
  }

  /** Every artifact of the profile now carries `version` (or a later one): the change is applied. */
  async markApplied(profile: PolicyProfileName, version: number): Promise<void> {
    await this.sql.rows(
      'UPDATE retention_policies SET applied_at = $3 WHERE profile = $1 AND version <= $2 AND applied_at IS NULL',
      [profile, version, this.clock.now()],
    );
  }
}

interface PolicyRow {
  profile: PolicyProfileName;
  version: number;
  rules: RetentionRules;
  created_at: Date;
  created_by: string;
}

function toPolicy(row: PolicyRow): RetentionPolicy {
  return { profile: row.profile, version: row.version, rules: row.rules, createdAt: row.created_at.toISOString(), createdBy: row.created_by };
}

/** JSONB does not keep key order, so rules are compared field by field. */
function sameRule(a: RetentionRule, b: RetentionRule | undefined): boolean {
  return b !== undefined && a.from === b.from && a.keep?.amount === b.keep?.amount && a.keep?.unit === b.keep?.unit && (a.keep === null) === (b.keep === null);
}

function checkProfile(profile: string): PolicyProfileName {
  if (!(POLICY_PROFILES as readonly string[]).includes(profile)) throw new UnknownPolicyProfile(profile);
  return profile as PolicyProfileName;
}
