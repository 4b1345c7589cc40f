import { S3Client } from '@aws-sdk/client-s3';
import { FixedClock } from '@lib/clock';
import { ExpiryAssigner, RetentionPolicies, RetentionSweeper } from '@lib/retention';
import { call } from './support/api-client';
import { seedExpiredArtifacts } from './support/builders';
import { s3Of } from './support/bucket';
import { ServiceHarness } from './support/harness';

/**
 * Issue 11 B.4: the rules in force come from the database only. A profile without rules there is a
 * configuration error, never "keep forever" and never the code's current defaults: what needs the
 * rules fails with a clear error, the sweep logs and counts it on every tick, and what is already
 * due is still deleted.
 */
describe('a retention policy missing from the database', () => {
  const clock = new FixedClock(new Date());
  let harness: ServiceHarness;
  let s3: S3Client;

  beforeAll(async () => {
    harness = await ServiceHarness.start({ clock, runMode: 'api' });
    s3 = s3Of(harness);
  });

  afterAll(async () => {
    s3?.destroy();
    await harness?.stop();
  });

  it('is a clear error for whatever needs the rules, not the live defaults', async () => {
    await harness.query(`DELETE FROM retention_policies WHERE profile = 'classes'`);
    const missing = /no retention policy for profile "classes"/;
    await expect(harness.app!.get(RetentionPolicies).current('classes')).rejects.toThrow(missing);
    await expect(harness.app!.get(ExpiryAssigner).recomputeProfile('classes')).rejects.toThrow(missing);
    await expect(harness.app!.get(RetentionPolicies).current('tutoring')).resolves.toMatchObject({ profile: 'tutoring', version: 1 });
  });

  it('fails the sweep tick, logged and counted, after queueing the deletion of what was already due', async () => {
    const [due] = await seedExpiredArtifacts(harness, s3, { recordings: 1, perRecording: 1 });
    await expect(harness.app!.get(RetentionSweeper).scheduled()).rejects.toThrow(/no retention policy for profile "classes"/);
    expect(await harness.query('SELECT found, queued FROM retention_sweeps ORDER BY started_at DESC, id DESC LIMIT 1')).toEqual([{ found: 1, queued: 1 }]);
    expect(await harness.query('SELECT delete_queued_at IS NOT NULL AS queued FROM artifacts WHERE id = $1', [due.id])).toEqual([{ queued: true }]);
    const metrics = await call(harness, 'GET', '/metrics');
    expect(String(metrics.body)).toMatch(/^retention_policy_missing_total 1$/m);
  });
});
