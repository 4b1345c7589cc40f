import type { LifecycleRule } from '@aws-sdk/client-s3';
import { mergeLifecycleRules, OUR_LIFECYCLE_RULES, versioningProblem } from './bucket-rules';

const backstopMedia: LifecycleRule = {
  ID: 'backstop-media',
  Status: 'Enabled',
  Filter: { Tag: { Key: 'retention-class', Value: 'media' } },
  Expiration: { Days: 91 },
};
const backstopText: LifecycleRule = {
  ID: 'backstop-text',
  Status: 'Enabled',
  Filter: { Tag: { Key: 'retention-class', Value: 'text' } },
  Expiration: { Days: 1100 },
};

describe('mergeLifecycleRules', () => {
  it('adds our abort rule to a bucket without lifecycle rules', () => {
    expect(mergeLifecycleRules([])).toEqual({ rules: [...OUR_LIFECYCLE_RULES], changed: true });
  });

  it("keeps the operator's retention backstop rules when adding ours", () => {
    const { rules, changed } = mergeLifecycleRules([backstopMedia, backstopText]);
    expect(changed).toBe(true);
    expect(rules).toEqual([backstopMedia, backstopText, ...OUR_LIFECYCLE_RULES]);
  });

  it('replaces an outdated rule with our ID and keeps every other rule', () => {
    const outdated: LifecycleRule = { ...OUR_LIFECYCLE_RULES[0], AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } };
    const { rules, changed } = mergeLifecycleRules([backstopMedia, outdated, backstopText]);
    expect(changed).toBe(true);
    expect(rules).toEqual([backstopMedia, backstopText, ...OUR_LIFECYCLE_RULES]);
    expect(rules.filter((r) => r.ID === OUR_LIFECYCLE_RULES[0].ID)).toHaveLength(1);
  });

  it('reports no change when the bucket already has our rule as it is (key order and undefined fields aside)', () => {
    const asStored: LifecycleRule = {
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      Filter: { Prefix: '' },
      Status: 'Enabled',
      ID: 'abort-incomplete-multipart-uploads',
      Expiration: undefined,
    };
    expect(mergeLifecycleRules([backstopMedia, asStored]).changed).toBe(false);
  });

  it("keeps an operator's own rule that also aborts uploads (a different ID is not ours)", () => {
    const theirs: LifecycleRule = { ID: 'ops-abort', Status: 'Enabled', Filter: { Prefix: 'r/' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 } };
    expect(mergeLifecycleRules([theirs]).rules).toEqual([theirs, ...OUR_LIFECYCLE_RULES]);
  });
});

describe('versioningProblem', () => {
  it('accepts a bucket that never had versioning', () => {
    expect(versioningProblem('recordings', undefined)).toBeNull();
    expect(versioningProblem('recordings', '')).toBeNull();
  });

  it.each(['Enabled', 'Suspended'])('refuses a bucket with versioning %s, naming the bucket and the setting', (status) => {
    const problem = versioningProblem('recordings', status);
    expect(problem).toContain('S3 bucket "recordings" has versioning ' + status);
    expect(problem).toContain('S3_BUCKET');
  });
});
