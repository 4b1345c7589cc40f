import { Inject, Injectable, Logger } from '@nestjs/common';
import { Transactions } from '@lib/database';
import { AuditTrail } from '@lib/audit';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { Clock } from '@lib/clock';
import type { MediaInfo } from '@lib/database';
import { isPermanent, JobContext, JobQueue } from '@lib/jobs';
import { MediaToolkit } from '@lib/media';
import { Metrics } from '@lib/observability';
import { retentionTags } from '@lib/retention';
import { ObjectStore, putVerified } from '@lib/storage';
import { AudioExtraction } from './audio-extraction.service';
import { ByteMeter } from './byte-meter';
import {
  AllowEntry,
  DownloadRefused,
  DownloadTokenRejected,
  openZoomDownload,
  parseAllowList,
} from './download';
import { FileNotReady } from './ingest-errors';
import { LinkRenewal } from './link-renewal.service';
import { RecordingRepository } from './recording.repository';
import { ArchiveTarget, ZoomArtifactRepository } from './zoom-artifact.repository';
import { ANALYSED_KINDS, MEDIA_KINDS } from './zoom-files';

const PROBE_WAIT_MS = 30_000;

/**
 * The `archive-artifact` job: one Zoom file, downloaded once through the SSRF guard and streamed
 * straight into a multipart upload while it is counted, hashed and probed. Never a whole file in
 * memory or on disk. Idempotent: a stored artifact is never downloaded again.
 */
@Injectable()
export class ArchiveService {
  private readonly logger = new Logger(ArchiveService.name);
  private readonly allow: AllowEntry[];

  constructor(
    private readonly artifacts: ZoomArtifactRepository,
    private readonly recordings: RecordingRepository,
    private readonly transactions: Transactions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: ObjectStore,
    private readonly media: MediaToolkit,
    private readonly audit: AuditTrail,
    private readonly jobs: JobQueue,
    private readonly links: LinkRenewal,
    private readonly metrics: Metrics,
    private readonly clock: Clock,
    private readonly extraction: AudioExtraction,
  ) {
    this.allow = parseAllowList(config.zoom.downloadHosts);
  }

  async archive(artifactId: string, context: JobContext): Promise<void> {
    let target = await this.load(artifactId);
    if (!target || target.status !== 'pending') return;
    const startedAt = this.clock.now().getTime();
    const attempt = await this.artifacts.countAttempt(artifactId);
    const finalAttempt = context.attemptsMade + 1 >= context.attempts;
    try {
      // Audio extracted from a video already in our bucket needs nothing from Zoom.
      const fromStorage = await this.extraction.readsFromStorage(target.derivedFrom);
      if (!fromStorage && target.zoomFileStatus && target.zoomFileStatus !== 'completed') {
        target = await this.links.renewIfPossible(target.recordingId, target.meetingUuid).then(() => this.load(artifactId));
        if (!target || target.status !== 'pending') return;
        if (target.zoomFileStatus && target.zoomFileStatus !== 'completed') throw new FileNotReady();
      }
      if (!fromStorage && this.links.tokenExpired(target.downloadToken)) {
        await this.links.renewOrFail(target.recordingId, target.meetingUuid);
        target = (await this.load(artifactId))!;
      }
      // Only an earlier attempt can have left an upload behind: the first one skips the listing.
      if (attempt > 1) await this.abortLeftoverUploads(target.storageKey);
      let stored;
      try {
        stored = await this.transfer(target);
      } catch (error) {
        if (!(error instanceof DownloadTokenRejected)) throw error;
        // Zoom refused the token: renew the links once (when we can) and go again.
        await this.links.renewOrFail(target.recordingId, target.meetingUuid);
        target = (await this.load(artifactId))!;
        stored = await this.transfer(target);
      }
      await this.markStored(target, stored);
      this.metrics.archiveBytes.inc({ kind: target.kind }, stored.bytes);
      this.metrics.archiveSeconds.observe({ kind: target.kind }, (this.clock.now().getTime() - startedAt) / 1000);
      await this.afterFileSettled(target.recordingId);
    } catch (error) {
      await this.onFailure(target!, error as Error, finalAttempt, context);
    }
  }

  private async transfer(target: ArchiveTarget): Promise<{ bytes: number; sha256: string; media: MediaInfo | null }> {
    if (target.derivedFrom) {
      const tags = retentionTags(target.retentionClass, target.expiresAt);
      return this.extraction.extract({ ...target, derivedFrom: target.derivedFrom, tags }, () => this.openDownload(target));
    }
    const download = await this.openDownload(target);
    const meter = new ByteMeter({
      expectedSize: target.expectedSize,
      contentType: download.contentType,
      expectJson: target.kind === 'timeline' || target.contentType === 'application/json',
    });
    const probe = MEDIA_KINDS.includes(target.kind) ? this.media.probeTap() : null;
    // The download side's error is the cause; a storage error that follows it is only a symptom.
    const stored = await putVerified(this.store, target.storageKey, download.body, {
      meter,
      stages: probe ? [probe.tap] : [],
      contentType: target.contentType,
      expectedSize: target.expectedSize,
      tags: retentionTags(target.retentionClass, target.expiresAt),
    });
    const media = probe ? await withTimeout(probe.result, PROBE_WAIT_MS) : null;
    return { bytes: stored.size, sha256: stored.sha256, media };
  }

  /** Through the SSRF guard: allow-listed hosts only, the token to Zoom's own origin only. */
  private openDownload(target: ArchiveTarget) {
    return openZoomDownload(target.sourceUrl, {
      bearerToken: target.downloadToken ?? undefined,
      allow: this.allow,
      maxRedirects: this.config.archive.maxRedirects,
      idleTimeoutMs: this.config.archive.downloadIdleTimeoutMs,
      // No file_size from Zoom (CC, TIMELINE): nothing else bounds what the host may send.
      maxBytes: target.expectedSize === null ? this.config.zoom.maxUnsizedFileBytes : undefined,
    });
  }

  private async markStored(target: ArchiveTarget, stored: { bytes: number; sha256: string; media: MediaInfo | null }): Promise<void> {
    const kept = await this.transactions.run(async () => {
      const marked = await this.artifacts.markStored(target.id, {
        ...stored,
        at: this.clock.now(),
        reason: MEDIA_KINDS.includes(target.kind) && !stored.media ? 'stored; ffprobe could not read the media' : null,
      });
      if (!marked) return false;
      // Reviewers watch through an encrypted stream (issue 12); the job decides whether an audio file needs one.
      if ((target.kind === 'video' || target.kind === 'audio') && this.config.media.streamPackaging) {
        await this.transactions.afterCommit(() => this.jobs.enqueue('package-stream', { artifactId: target.id }));
      }
      // Talk time and safety signals (issue 13): again whenever a transcript, chat, timeline or track arrives.
      if (ANALYSED_KINDS.includes(target.kind) && this.config.analysis.enabled) {
        await this.transactions.afterCommit(() => this.jobs.enqueue('analyse-recording', { recordingId: target.recordingId }));
      }
      await this.audit.append(
        {
          actorId: 'recording-service',
          action: 'artifact.stored',
          subjectType: 'artifact',
          subjectId: target.id,
          details: { recordingId: target.recordingId, kind: target.kind, sizeBytes: stored.bytes, sha256: stored.sha256 },
        },
      );
      return true;
    });
    // Discarded or deleted while we were copying: the copy must not outlive that decision.
    if (!kept) await this.store.deleteMany([target.storageKey]);
  }

  private async onFailure(target: ArchiveTarget, error: Error, finalAttempt: boolean, context: JobContext): Promise<void> {
    if (error instanceof FileNotReady && !finalAttempt) {
      await this.note(target.id, error.message);
      return context.postpone(this.config.archive.notReadyDelayMs);
    }
    // Decided by the error's type (download, storage and ingest errors say whether to retry).
    const permanent = isPermanent(error);
    const reason = failureReason(error);
    this.metrics.archiveFailures.inc({ reason: error.name || 'Error', final: String(permanent || finalAttempt) });
    if (!permanent && !finalAttempt) {
      this.logger.warn(`artifact ${target.id}: attempt failed (${reason}); will retry`);
      await this.note(target.id, `retrying: ${reason}`);
      throw error;
    }
    this.logger.warn(`artifact ${target.id}: failed (${reason})`);
    await this.transactions.run(async () => {
      const failed = await this.artifacts.markFailed(target.id, reason, this.clock.now());
      if (failed) {
        await this.audit.append(
          { actorId: 'recording-service', action: 'artifact.failed', subjectType: 'artifact', subjectId: target.id, details: { recordingId: target.recordingId, cause: error.name } },
        );
      }
    });
    await this.afterFileSettled(target.recordingId);
  }

  private async note(artifactId: string, reason: string): Promise<void> {
    await this.artifacts.note(artifactId, reason);
  }

  /** A killed worker leaves its multipart upload behind; the re-run clears it before starting. */
  private async abortLeftoverUploads(storageKey: string): Promise<void> {
    for (const upload of await this.store.listIncompleteUploads(storageKey)) {
      if (upload.key === storageKey) await this.store.abortUpload(upload);
    }
  }

  /**
   * Recomputes the recording's status and, once no file is pending, drops its download token;
   * once every Zoom file is verified, Zoom's copy may go.
   */
  private async afterFileSettled(recordingId: string): Promise<void> {
    const status = await this.transactions.run(() => this.recordings.settle(recordingId));
    if (status === 'archived' && this.config.zoom.cloudCopy !== 'keep') {
      await this.jobs.enqueue('remove-cloud-copy', { recordingId });
    }
  }

  private load(artifactId: string): Promise<ArchiveTarget | null> {
    return this.artifacts.archiveTarget(artifactId);
  }
}

/** A reason fit to store and show: our errors carry safe reasons; anything else only its class. */
function failureReason(error: Error): string {
  const safe = (error as { reason?: string }).reason;
  if (error instanceof DownloadRefused) return `download refused: ${safe ?? error.message}`;
  if (safe) return safe;
  if (error instanceof FileNotReady) return error.message;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status) return `object storage answered HTTP ${status}`;
  // The SDK wraps socket errors; report the cause's code, never its message (it names addresses).
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  if (code && (error as { $metadata?: unknown }).$metadata !== undefined) return `object storage unreachable (${code})`;
  if (code) return `network error ${code}`;
  return error.name && error.name !== 'Error' ? error.name : 'unexpected error';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  return Promise.race([promise, new Promise<null>((resolve) => setTimeout(() => resolve(null), ms).unref())]);
}
