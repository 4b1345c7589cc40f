import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
  ServerSideEncryption,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import { EmbeddedS3Server } from './embedded-s3-server';
import { IncompleteUpload, ObjectHead, ObjectStore, PutObjectOptions } from './object-store';
import { partSizeFor } from './part-size';

export interface S3ObjectStoreOptions {
  client: S3Client;
  bucket: string;
  serverSideEncryption: 'AES256' | 'aws:kms' | 'none';
  /** Set when we run the embedded server: lets us list and abort uploads s3rver cannot. */
  embedded?: EmbeddedS3Server;
}

const DELETE_BATCH = 1000;

export class S3ObjectStore extends ObjectStore {
  private readonly logger = new Logger('ObjectStore');
  private readonly unsupportedNoted = new Set<string>();

  constructor(private readonly options: S3ObjectStoreOptions) {
    super();
  }

  async put(key: string, body: Readable, options: PutObjectOptions): Promise<void> {
    const { client, bucket, serverSideEncryption } = this.options;
    const upload = new Upload({
      client,
      params: {
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: options.contentType,
        ...(serverSideEncryption === 'none' ? {} : { ServerSideEncryption: serverSideEncryption as ServerSideEncryption }),
      },
      partSize: partSizeFor(options.expectedSize ?? null),
      queueSize: 4,
      leavePartsOnError: false,
      tags: options.tags ? Object.entries(options.tags).map(([Key, Value]) => ({ Key, Value })) : undefined,
    });
    try {
      await upload.done();
    } catch (error) {
      const uploadId = (upload as unknown as { uploadId?: string }).uploadId;
      if (uploadId) await this.abortUpload({ key, uploadId, initiatedAt: new Date() }).catch(() => undefined);
      body.destroy();
      throw error;
    }
  }

  async head(key: string): Promise<ObjectHead | null> {
    try {
      const out = await this.options.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return { size: Number(out.ContentLength ?? 0), contentType: out.ContentType ?? null };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  async read(key: string, range?: { start: number; end?: number }): Promise<Readable> {
    const out = await this.options.client.send(
      new GetObjectCommand({
        Bucket: this.options.bucket,
        Key: key,
        Range: range ? `bytes=${range.start}-${range.end ?? ''}` : undefined,
      }),
    );
    return out.Body as Readable;
  }

  async deleteMany(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      // Not quiet: the answer names every key deleted, and a key it does not name is not confirmed gone.
      const out = await this.options.client.send(
        new DeleteObjectsCommand({
          Bucket: this.options.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: false },
        }),
      );
      const failed = (out.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
      if (failed.length > 0) throw new Error(`storage refused to delete ${failed.length} object(s): ${failed[0].Code}`);
      const confirmed = new Set([...(out.Deleted ?? []).map((d) => d.Key), ...(out.Errors ?? []).map((e) => e.Key)]);
      const unconfirmed = batch.filter((key) => !confirmed.has(key)).length;
      if (unconfirmed > 0) throw new Error(`storage did not confirm the deletion of ${unconfirmed} object(s)`);
    }
  }

  async listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.options.client.send(
        new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const item of out.Contents ?? []) if (item.Key) keys.push(item.Key);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  async listIncompleteUploads(prefix = ''): Promise<IncompleteUpload[]> {
    try {
      const uploads: IncompleteUpload[] = [];
      let keyMarker: string | undefined;
      let uploadIdMarker: string | undefined;
      for (;;) {
        const out = await this.options.client.send(
          new ListMultipartUploadsCommand({
            Bucket: this.options.bucket,
            Prefix: prefix || undefined,
            KeyMarker: keyMarker,
            UploadIdMarker: uploadIdMarker,
          }),
        );
        for (const u of out.Uploads ?? []) {
          if (u.Key && u.UploadId) uploads.push({ key: u.Key, uploadId: u.UploadId, initiatedAt: u.Initiated ?? new Date(0) });
        }
        if (!out.IsTruncated) return uploads;
        keyMarker = out.NextKeyMarker;
        uploadIdMarker = out.NextUploadIdMarker;
      }
    } catch (error) {
      if (!this.isUnsupported(error, 'ListMultipartUploads')) throw error;
      return this.options.embedded ? this.options.embedded.listIncompleteUploads(this.options.bucket, prefix) : [];
    }
  }

  async abortUpload(upload: IncompleteUpload): Promise<void> {
    try {
      await this.options.client.send(
        new AbortMultipartUploadCommand({ Bucket: this.options.bucket, Key: upload.key, UploadId: upload.uploadId }),
      );
    } catch (error) {
      if (statusOf(error) === 404) return;
      if (!this.isUnsupported(error, 'AbortMultipartUpload')) throw error;
      if (this.options.embedded) await this.options.embedded.abortUpload(this.options.bucket, upload.uploadId);
    }
  }

  async checkReady(): Promise<void> {
    await this.options.client.send(new HeadBucketCommand({ Bucket: this.options.bucket }));
  }

  /** 405 and 501 mean "this server does not do that" (s3rver): noted once, never a readiness problem. */
  private isUnsupported(error: unknown, operation: string): boolean {
    const status = statusOf(error);
    if (status !== 405 && status !== 501) return false;
    if (!this.unsupportedNoted.has(operation)) {
      this.unsupportedNoted.add(operation);
      this.logger.log(`${operation} is not supported by this S3 server (HTTP ${status}); using the fallback`);
    }
    return true;
  }
}

export function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}
