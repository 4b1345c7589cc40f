import {
  CreateBucketCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  LifecycleRule,
  PutBucketLifecycleConfigurationCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Logger } from '@nestjs/common';
import { mergeLifecycleRules, versioningProblem } from './bucket-rules';
import { statusOf } from './storage-errors';

/** Start-up refused: the bucket would make deletion a lie (versioning). */
export class BucketUnfit extends Error {
  override readonly name = 'BucketUnfit';
}

/**
 * Makes sure the bucket exists, is private and unversioned, and that its lifecycle configuration
 * holds our rule (abort multipart uploads left incomplete for a day) next to the operator's own
 * rules, which are kept. Servers or credentials that refuse a setting are logged once; operators
 * apply it themselves (docs/storage.md). A versioned bucket stops start-up (BucketUnfit).
 */
export async function prepareBucket(client: S3Client, bucket: string, logger = new Logger('ObjectStore')): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
    try {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
    } catch (createError) {
      if (statusOf(createError) !== 409) throw createError;
    }
  }
  await refuseVersioned(client, bucket, logger);
  const optional: Array<[string, () => Promise<unknown>]> = [
    [
      'block public access',
      () =>
        client.send(
          new PutPublicAccessBlockCommand({
            Bucket: bucket,
            PublicAccessBlockConfiguration: {
              BlockPublicAcls: true,
              IgnorePublicAcls: true,
              BlockPublicPolicy: true,
              RestrictPublicBuckets: true,
            },
          }),
        ),
    ],
    ['abort incomplete multipart uploads after one day', () => mergeLifecycle(client, bucket)],
  ];
  for (const [what, apply] of optional) {
    try {
      await apply();
    } catch (error) {
      logger.log(`bucket setting "${what}" not applied (HTTP ${statusOf(error) ?? 'error'}); see docs/storage.md`);
    }
  }
}

/**
 * Read, merge, write. If the read fails we do not write: writing blind would replace rules we
 * could not see. A bucket with no configuration answers 404 NoSuchLifecycleConfiguration.
 */
async function mergeLifecycle(client: S3Client, bucket: string): Promise<void> {
  let existing: LifecycleRule[] = [];
  try {
    existing = (await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? [];
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
  const { rules, changed } = mergeLifecycleRules(existing);
  if (!changed) return;
  await client.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: rules } }));
}

/** A server that cannot tell (s3rver: 501) or credentials that may not ask are logged, not fatal. */
async function refuseVersioned(client: S3Client, bucket: string, logger: Logger): Promise<void> {
  let status: string | undefined;
  try {
    status = (await client.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status;
  } catch (error) {
    logger.log(`bucket versioning not checked (HTTP ${statusOf(error) ?? 'error'}); it must stay off, see docs/storage.md`);
    return;
  }
  const problem = versioningProblem(bucket, status);
  if (problem) throw new BucketUnfit(problem);
}

