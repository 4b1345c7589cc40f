import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketLifecycleConfigurationCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Logger } from '@nestjs/common';
import { statusOf } from './s3-object-store';

/**
 * Makes sure the bucket exists and is private, and asks the server to abort multipart uploads left
 * incomplete for a day. Servers or credentials that refuse a setting are logged once; operators
 * apply it themselves (README, "Object storage").
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
    [
      'abort incomplete multipart uploads after one day',
      () =>
        client.send(
          new PutBucketLifecycleConfigurationCommand({
            Bucket: bucket,
            LifecycleConfiguration: {
              Rules: [
                {
                  ID: 'abort-incomplete-multipart-uploads',
                  Status: 'Enabled',
                  Filter: { Prefix: '' },
                  AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
                },
              ],
            },
          }),
        ),
    ],
  ];
  for (const [what, apply] of optional) {
    try {
      await apply();
    } catch (error) {
      logger.log(`bucket setting "${what}" not applied (HTTP ${statusOf(error) ?? 'error'}); see README, Object storage`);
    }
  }
}
