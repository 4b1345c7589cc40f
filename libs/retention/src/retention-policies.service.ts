import { Injectable, Logger } from '@nestjs/common';
import { Transactions } from '@lib/database';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';
import { JobQueue } from '@lib/jobs';
import { PolicyProfileName, RetentionRule, RetentionRules, validateRules } from './policy';
import { RetentionPolicyRepository, RetentionPolicyRow } from './retention-policy.repository';

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

/**
 * The database has no rules for a profile. A configuration error, never "keep forever": whatever
 * needs the rules (expiry at ingest, on link, on review, a recompute) fails with it and is
 * retried; the sweep reports it on every tick (logged, counted) until a version exists.
 */
export class RetentionPolicyMissing extends Error {
  constructor(readonly profile: string) {
    super(`no retention policy for profile "${profile}" in the database (the migrations seed version 1 of every profile)`);
    this.name = 'RetentionPolicyMissing';
  }
}

/**
 * The retention rules in force: one row per profile and version, the newest version applies.
 * A change is a new version (never an edit), audited, and re-computes the expiry of everything
 * still kept under that profile (the `recompute-expiry` job).
 */
@Injectable()
export class RetentionPolicies {
  private readonly logger = new Logger(RetentionPolicies.name);

  constructor(
    private readonly repository: RetentionPolicyRepository,
    private readonly transactions: Transactions,
    private readonly audit: AuditTrail,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  async current(profile: string): Promise<RetentionPolicy> {
    const name = checkProfile(profile);
    // The migration seeds version 1 of each profile. No silent fallback to the code's defaults:
    // those change with the code, and rules nobody stored cannot be shown as the ones applied.
    const row = await this.repository.latest(name);
    if (!row) throw new RetentionPolicyMissing(name);
    return toPolicy(row);
  }

  /** Profiles the database has no rules for (empty when configured). */
  async missing(): Promise<PolicyProfileName[]> {
    return this.repository.profilesWithout(POLICY_PROFILES);
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
      await this.repository.lockForChange();
      const previous = await this.current(name);
      const merged = typeof changes === 'object' && changes !== null && !Array.isArray(changes) ? { ...previous.rules, ...changes } : changes;
      const rules = validateRules(merged);
      const version = previous.version + 1;
      const row = await this.repository.insert({ profile: name, version, rules, createdAt: this.clock.now(), createdBy: actorId });
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
      return toPolicy(row);
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
    return this.repository.unappliedLatest();
  }

  /** Every artifact of the profile now carries `version` (or a later one): the change is applied. */
  async markApplied(profile: PolicyProfileName, version: number): Promise<void> {
    await this.repository.markApplied(profile, version, this.clock.now());
  }
}

function toPolicy(row: RetentionPolicyRow): RetentionPolicy {
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
