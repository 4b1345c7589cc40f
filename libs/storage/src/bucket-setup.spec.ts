import type { LifecycleRule, S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@nestjs/common';
import { OUR_LIFECYCLE_RULES } from './bucket-rules';
import { BucketUnfit, prepareBucket } from './bucket-setup';

const backstop: LifecycleRule = {
  ID: 'backstop-media',
  Status: 'Enabled',
  Filter: { Tag: { Key: 'retention-class', Value: 'media' } },
  Expiration: { Days: 91 },
};

const httpError = (status: number, name: string) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

/** A bucket as S3 would answer for it; `answers` overrides a command's answer (a value or an error). */
function fakeBucket(answers: Record<string, unknown> = {}) {
  const sent: Array<{ command: string; input: Record<string, unknown> }> = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name;
      sent.push({ command: name, input: command.input });
      const answer = answers[name];
      if (answer instanceof Error) throw answer;
      return answer ?? {};
    },
  } as unknown as S3Client;
  const logged: string[] = [];
  const logger = { log: (line: string) => logged.push(line) } as unknown as Logger;
  const put = () => sent.filter((s) => s.command === 'PutBucketLifecycleConfigurationCommand');
  return { client, sent, logged, logger, put };
}

describe('prepareBucket: lifecycle', () => {
  it("merges our abort rule into the operator's lifecycle rules instead of replacing them", async () => {
    const b = fakeBucket({ GetBucketLifecycleConfigurationCommand: { Rules: [backstop] } });
    await prepareBucket(b.client, 'recordings', b.logger);
    expect(b.put()).toHaveLength(1);
    expect(b.put()[0].input).toEqual({ Bucket: 'recordings', LifecycleConfiguration: { Rules: [backstop, ...OUR_LIFECYCLE_RULES] } });
  });

  it('writes our rule alone to a bucket that has no lifecycle configuration (404)', async () => {
    const b = fakeBucket({ GetBucketLifecycleConfigurationCommand: httpError(404, 'NoSuchLifecycleConfiguration') });
    await prepareBucket(b.client, 'recordings', b.logger);
    expect(b.put()[0].input).toEqual({ Bucket: 'recordings', LifecycleConfiguration: { Rules: [...OUR_LIFECYCLE_RULES] } });
  });

  it('does not write when the bucket already holds our rule', async () => {
    const b = fakeBucket({ GetBucketLifecycleConfigurationCommand: { Rules: [backstop, ...OUR_LIFECYCLE_RULES] } });
    await prepareBucket(b.client, 'recordings', b.logger);
    expect(b.put()).toHaveLength(0);
  });

  it('never writes blind: a lifecycle it may not read (403) is left alone and logged', async () => {
    const b = fakeBucket({ GetBucketLifecycleConfigurationCommand: httpError(403, 'AccessDenied') });
    await prepareBucket(b.client, 'recordings', b.logger);
    expect(b.put()).toHaveLength(0);
    expect(b.logged.join('\n')).toContain('"abort incomplete multipart uploads after one day" not applied (HTTP 403)');
  });

  it('logs a server without lifecycle support (s3rver answers 501) and starts', async () => {
    const b = fakeBucket({ GetBucketLifecycleConfigurationCommand: httpError(501, 'NotImplemented') });
    await expect(prepareBucket(b.client, 'recordings', b.logger)).resolves.toBeUndefined();
    expect(b.logged.join('\n')).toContain('not applied (HTTP 501)');
  });
});

describe('prepareBucket: versioning', () => {
  it.each(['Enabled', 'Suspended'])('refuses to start on a bucket with versioning %s', async (Status) => {
    const b = fakeBucket({ GetBucketVersioningCommand: { Status } });
    const start = prepareBucket(b.client, 'recordings', b.logger);
    await expect(start).rejects.toBeInstanceOf(BucketUnfit);
    await expect(start).rejects.toThrow(`S3 bucket "recordings" has versioning ${Status}`);
    expect(b.put()).toHaveLength(0);
  });

  it('starts on an unversioned bucket, and on a server that cannot say (501), logging that', async () => {
    await expect(prepareBucket(fakeBucket().client, 'recordings', fakeBucket().logger)).resolves.toBeUndefined();
    const b = fakeBucket({ GetBucketVersioningCommand: httpError(501, 'NotImplemented') });
    await expect(prepareBucket(b.client, 'recordings', b.logger)).resolves.toBeUndefined();
    expect(b.logged.join('\n')).toContain('bucket versioning not checked (HTTP 501)');
  });
});
