import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Verification videos stored before unreviewed ones had a fallback expiry have none yet. Marking
 * each profile's newest policy version as not applied makes the next sweep queue the recompute,
 * which gives every such video its fallback (VERIFICATION_VIDEO_UNREVIEWED_DAYS after upload).
 * Only when such a video exists: otherwise there is nothing to recompute.
 */
export class RecomputeUnreviewedVerificationExpiry1764500000000 implements MigrationInterface {
  name = 'RecomputeUnreviewedVerificationExpiry1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE retention_policies p SET applied_at = NULL
      FROM (SELECT DISTINCT ON (profile) profile, version FROM retention_policies ORDER BY profile, version DESC) latest
      WHERE p.profile = latest.profile AND p.version = latest.version
        AND EXISTS (SELECT 1 FROM artifacts a WHERE a.kind = 'verification_video' AND a.expires_at IS NULL
                    AND a.status IN ('pending', 'stored'))`);
  }

  async down(): Promise<void> {
    // Nothing to undo: the recompute it asks for is the same one a policy change makes.
  }
}
