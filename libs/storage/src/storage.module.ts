import { S3Client } from '@aws-sdk/client-s3';
import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { prepareBucket } from './bucket-setup';
import { EmbeddedS3Server } from './embedded-s3-server';
import { IncompleteUploadSweeper } from './incomplete-upload-sweeper';
import { ObjectStore } from './object-store';
import { S3ObjectStore } from './s3-object-store';

export const EMBEDDED_S3 = Symbol('EMBEDDED_S3');

export function createS3Client(config: AppConfig, endpoint: string | undefined): S3Client {
  return new S3Client({
    endpoint,
    region: config.s3.region,
    forcePathStyle: config.s3.forcePathStyle,
    credentials: { accessKeyId: config.s3.accessKeyId, secretAccessKey: config.s3.secretAccessKey },
    // S3-compatible servers (s3rver, MinIO) store aws-chunked framing with the default checksum mode.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
}

@Injectable()
class EmbeddedS3Lifecycle implements OnApplicationShutdown {
  constructor(@Inject(EMBEDDED_S3) private readonly embedded: EmbeddedS3Server | null) {}
  async onApplicationShutdown(): Promise<void> {
    await this.embedded?.stop();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: EMBEDDED_S3,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        if (config.s3.endpoint) return null;
        const embedded = new EmbeddedS3Server({
          port: config.s3.embeddedPort,
          dataDir: config.s3.embeddedDataDir,
          bucket: config.s3.bucket,
        });
        await embedded.start();
        return embedded;
      },
    },
    {
      provide: ObjectStore,
      inject: [APP_CONFIG, EMBEDDED_S3],
      useFactory: async (config: AppConfig, embedded: EmbeddedS3Server | null) => {
        const client = createS3Client(config, config.s3.endpoint ?? embedded?.endpoint);
        await prepareBucket(client, config.s3.bucket);
        return new S3ObjectStore({
          client,
          bucket: config.s3.bucket,
          serverSideEncryption: config.s3.serverSideEncryption,
          embedded: embedded ?? undefined,
        });
      },
    },
    EmbeddedS3Lifecycle,
    IncompleteUploadSweeper,
  ],
  exports: [ObjectStore, IncompleteUploadSweeper, EMBEDDED_S3],
})
export class StorageModule {}
