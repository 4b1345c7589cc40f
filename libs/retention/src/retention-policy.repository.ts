import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';
import { PolicyProfileName, RetentionRules } from './policy';

/** A row of `retention_policies`: one version of one profile's rules. */
export interface RetentionPolicyRow {
  profile: PolicyProfileName;
  version: number;
  rules: RetentionRules;
  created_at: Date;
  created_by: string;
}

export interface NewPolicyVersion {
  profile: PolicyProfileName;
  version: number;
  rules: RetentionRules;
  createdAt: Date;
  createdBy: string;
}

/** Any 64-bit constant: serialises changes of the rules, so two admins never write the same version. */
const POLICY_CHANGE_LOCK = 7_302_115_101;

const COLUMNS = 'profile, version, rules, created_at, created_by';

/** Versioned retention policies: rows are only ever added. */
@Injectable()
export class RetentionPolicyRepository {
  constructor(private readonly sql: Sql) {}

  /** The newest version of the profile, or null when the database has none (a configuration error). */
  async latest(profile: PolicyProfileName): Promise<RetentionPolicyRow | null> {
    return this.sql.one<RetentionPolicyRow>(
      `SELECT ${COLUMNS} FROM retention_policies WHERE profile = $1 ORDER BY version DESC LIMIT 1`,
      [profile],
    );
  }

  /** Which of these profiles have no version at all. */
  async profilesWithout(profiles: readonly PolicyProfileName[]): Promise<PolicyProfileName[]> {
    const rows = await this.sql.rows<{ profile: PolicyProfileName }>('SELECT DISTINCT profile FROM retention_policies WHERE profile = ANY($1)', [profiles]);
    const present = new Set(rows.map((r) => r.profile));
    return profiles.filter((p) => !present.has(p));
  }

  /** Until the transaction ends (taken before reading the version a change builds on). */
  async lockForChange(): Promise<void> {
    await this.sql.run('SELECT pg_advisory_xact_lock($1)', [POLICY_CHANGE_LOCK]);
  }

  async insert(version: NewPolicyVersion): Promise<RetentionPolicyRow> {
    const row = await this.sql.one<RetentionPolicyRow>(
      `INSERT INTO retention_policies (profile, version, rules, created_at, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [version.profile, version.version, JSON.stringify(version.rules), version.createdAt, version.createdBy],
    );
    return row!;
  }

  /** Each profile's newest version whose re-computation has not finished. */
  async unappliedLatest(): Promise<Array<{ profile: PolicyProfileName; version: number }>> {
    const rows = await this.sql.rows<{ profile: PolicyProfileName; version: number; applied_at: Date | null }>(
      `SELECT DISTINCT ON (profile) profile, version, applied_at FROM retention_policies ORDER BY profile, version DESC`,
    );
    return rows.filter((r) => r.applied_at === null).map(({ profile, version }) => ({ profile, version }));
  }

  async markApplied(profile: PolicyProfileName, version: number, at: Date): Promise<void> {
    await this.sql.run(
      'UPDATE retention_policies SET applied_at = $3 WHERE profile = $1 AND version <= $2 AND applied_at IS NULL',
      [profile, version, at],
    );
  }
}
