import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsCommand,
  S3Client,
  ServerSideEncryption,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import { EmbeddedS3Server } from './embedded-s3-server';
import { IncompleteUpload, ListedObject, ObjectHead, ObjectPage, ObjectStore, PutObjectOptions } from './object-store';
import { partSizeFor } from './part-size';
import { statusOf, StorageRefused, StorageUnavailable, toStorageError } from './storage-errors';

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
    // The body's own error (a refused download, a size limit) is the caller's, not storage's: kept as it is.
    let bodyError: unknown;
    body.once('error', (error) => (bodyError = error));
    try {
      await upload.done();
    } catch (error) {
      const uploadId = (upload as unknown as { uploadId?: string }).uploadId;
      if (uploadId) await this.abortUpload({ key, uploadId, initiatedAt: new Date() }).catch(() => undefined);
      body.destroy();
      throw error === bodyError ? error : toStorageError(error, 'put');
    }
  }

  async head(key: string): Promise<ObjectHead | null> {
    try {
      const out = await this.options.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return { size: Number(out.ContentLength ?? 0), contentType: out.ContentType ?? null };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw toStorageError(error, 'head');
    }
  }

  async read(key: string, range?: { start: number; end?: number }): Promise<Readable> {
    const out = await this.options.client
      .send(
        new GetObjectCommand({
          Bucket: this.options.bucket,
          Key: key,
          Range: range ? `bytes=${range.start}-${range.end ?? ''}` : undefined,
        }),
      )
      .catch((error: unknown) => {
        throw toStorageError(error, 'read');
      });
    return out.Body as Readable;
  }

  async deleteMany(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      // Not quiet: the answer names every key deleted, and a key it does not name is not confirmed gone.
      const out = await this.options.client
        .send(
          new DeleteObjectsCommand({
            Bucket: this.options.bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: false },
          }),
        )
        .catch((error: unknown) => {
          throw toStorageError(error, 'delete');
        });
      const failed = (out.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
      if (failed.length > 0) {
        // Per-key answers carry codes, not statuses: access denied is for good, anything else may pass later.
        const code = failed[0].Code;
        const message = `storage refused to delete ${failed.length} object(s): ${code}`;
        throw code === 'AccessDenied' ? new StorageRefused(message, undefined, code) : new StorageUnavailable(message, undefined, code);
      }
      const confirmed = new Set([...(out.Deleted ?? []).map((d) => d.Key), ...(out.Errors ?? []).map((e) => e.Key)]);
      const unconfirmed = batch.filter((key) => !confirmed.has(key)).length;
      if (unconfirmed > 0) throw new StorageUnavailable(`storage did not confirm the deletion of ${unconfirmed} object(s)`);
    }
  }

  async listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | null = null;
    do {
      const page: ObjectPage = await this.listPage(prefix, token);
      keys.push(...page.objects.map((o) => o.key));
      token = page.next;
    } while (token);
    return keys;
  }

  /**
   * ListObjects (v1) with `Marker` = the last key, not v2's continuation tokens: s3rver makes
   * those with DES, which Node 20's OpenSSL refuses, so any truncated v2 listing is an HTTP 500.
   */
  async listPage(prefix: string, token: string | null, limit = 1000): Promise<ObjectPage> {
    const out = await this.options.client
      .send(new ListObjectsCommand({ Bucket: this.options.bucket, Prefix: prefix, Marker: token ?? undefined, MaxKeys: limit }))
      .catch((error: unknown) => {
        throw toStorageError(error, 'list');
      });
    const objects: ListedObject[] = [];
    for (const item of out.Contents ?? []) {
      if (item.Key) objects.push({ key: item.Key, lastModified: item.LastModified ?? new Date(0), size: Number(item.Size ?? 0) });
    }
    return { objects, next: out.IsTruncated && objects.length > 0 ? objects[objects.length - 1].key : null };
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
      if (!this.isUnsupported(error, 'ListMultipartUploads')) throw toStorageError(error, 'list uploads');
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
      if (!this.isUnsupported(error, 'AbortMultipartUpload')) throw toStorageError(error, 'abort upload');
      if (this.options.embedded) await this.options.embedded.abortUpload(this.options.bucket, upload.uploadId);
    }
  }

  async checkReady(): Promise<void> {
    await this.options.client.send(new HeadBucketCommand({ Bucket: this.options.bucket })).catch((error: unknown) => {
      throw toStorageError(error, 'check bucket');
    });
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
