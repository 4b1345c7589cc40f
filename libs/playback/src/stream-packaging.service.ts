import { Inject, Injectable, Logger } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { Transactions } from '@lib/database';
import type { MediaInfo } from '@lib/database';
import { JobContext, JobQueue } from '@lib/jobs';
import { HLS_PLAYLIST, hlsKeyInfo, HlsPlan, hlsPlan, MediaToolkit, posterTime } from '@lib/media';
import { retentionTags } from '@lib/retention';
import { ObjectStore, putVerified, StreamMeter } from '@lib/storage';
import { newStreamKey, wrapStreamKey } from './stream-key';
import { StreamRepository, StreamRow, StreamSourceRow } from './stream.repository';

/** Temporary directories of packaging start with this (tests look for leftovers). */
export const STREAM_PACKAGE_TEMP_PREFIX = 'rec-stream-package-';
export const POSTER_NAME = 'poster.jpg';
/**
 * Objects uploaded at once: segments are small (a PUT, a HEAD and a tagging call each), so the
 * link sits idle between calls unless several are in flight; a pool keeps that many going.
 */
const UPLOAD_CONCURRENCY = 12;
/** Sources queued per reconciling pass (the next pass takes the next ones). */
const BACKLOG_PAGE = 100;

const CONTENT_TYPES: Record<string, string> = { m3u8: 'application/vnd.apple.mpegurl', ts: 'video/mp2t', jpg: 'image/jpeg' };

interface Started {
  source: StreamSourceRow;
  stream: StreamRow;
  plan: HlsPlan;
  key: Buffer;
  /** No stored media_info: the plan is decided by probing the local copy. */
  probe: boolean;
}

/**
 * The `package-stream` job (issue 12): a stored video, or the audio of a recording with no video,
 * becomes AES-128 encrypted HLS under `<stream storage_key>/`. The source goes through a bounded
 * temporary file (ffmpeg needs to seek), ffmpeg writes into a temporary folder, its key file is
 * deleted the moment ffmpeg is done, each object is streamed to the bucket, and everything
 * temporary is removed whatever happens. The key is kept only wrapped by MEDIA_MASTER_KEY.
 * Idempotent: a source with a stream stored (or removed) is left alone; one left pending by a crash
 * is made again from scratch.
 */
@Injectable()
export class StreamPackaging {
  private readonly logger = new Logger(StreamPackaging.name);

  constructor(
    private readonly streams: StreamRepository,
    private readonly transactions: Transactions,
    private readonly store: ObjectStore,
    private readonly media: MediaToolkit,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly jobs: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The reconciling pass: queues sources that have no stream (their job was lost, a video failed
   * after the audio was stored, an opt-out left the audio alone). Returns how many were queued.
   */
  async queueMissing(limit = BACKLOG_PAGE): Promise<number> {
    if (!this.config.media.streamPackaging) return 0;
    const ids = await this.streams.sourcesWithoutStream(limit);
    // Deterministic job ids: a source whose job is waiting or running is not queued twice.
    for (const artifactId of ids) await this.jobs.enqueue('package-stream', { artifactId });
    return ids.length;
  }

  async package(sourceId: string, context: JobContext): Promise<void> {
    if (!this.config.media.streamPackaging) return;
    const started = await this.begin(sourceId);
    if (!started) return;
    const { stream } = started;
    try {
      const made = await this.produce(started);
      await this.finish(started, made);
    } catch (error) {
      await this.removeObjects(stream.storage_key);
      const finalAttempt = context.attemptsMade + 1 >= context.attempts;
      this.logger.warn(`stream ${stream.id}: packaging failed (${(error as Error).name})${finalAttempt ? '' : '; will retry'}`);
      if (finalAttempt) await this.fail(started, error as Error);
      throw error;
    }
  }

  /** Under the source's row lock: whether there is anything to do, and the pending stream row to do it in. */
  private begin(sourceId: string): Promise<Started | null> {
    return this.transactions.run(async () => {
      const source = await this.streams.lockSource(sourceId);
      if (!source || source.status !== 'stored' || source.delete_requested_at) return null;
      if (source.kind === 'audio' && (await this.streams.hasLiveVideo(source.recording_id))) return null;
      const existing = await this.streams.streamOf(source.id);
      if (existing && existing.status !== 'pending' && existing.status !== 'failed') return null;
      const info = source.media_info ?? null;
      const plan = info ? hlsPlan(info, source.kind) : null;
      if (info && !plan) return null; // nothing to play (no audio or video track)
      const key = newStreamKey();
      const wrapped = wrapStreamKey(key, this.config.mediaMasterKey);
      // Without stored media_info the plan comes from a probe of the local copy (produce()).
      const assumed = plan ?? { audioOnly: source.kind === 'audio', copy: false };
      if (existing) {
        await this.streams.restart(existing.id, wrapped, assumed.audioOnly);
        return { source, stream: { ...existing, status: 'pending' }, plan: assumed, key, probe: !plan };
      }
      const stream = await this.streams.createPending(source.id, `${source.storage_prefix}/${randomBytes(12).toString('hex')}`, wrapped, assumed.audioOnly);
      return { source, stream, plan: assumed, key, probe: !plan };
    });
  }

  /** Source → temporary file → ffmpeg → the bucket. Returns the bytes stored. */
  private async produce(started: Started): Promise<{ bytes: number; durationSeconds: number | null }> {
    const { source, stream, key } = started;
    await this.removeObjects(stream.storage_key); // a crashed run's leftovers
    const dir = await mkdtemp(join(tmpdir(), STREAM_PACKAGE_TEMP_PREFIX));
    try {
      const input = join(dir, source.kind === 'audio' ? 'source.m4a' : 'source.mp4');
      const max = this.config.retention.audioExtractMaxBytes;
      const bound = new StreamMeter({ maxBytes: max, tooLarge: (m) => new Error(`the source is larger than AUDIO_EXTRACT_MAX_BYTES (${m} bytes)`) });
      await pipeline(await this.store.read(source.storage_key), bound, createWriteStream(input));
      let info: MediaInfo | null = source.media_info;
      let plan = started.plan;
      if (started.probe) {
        info = await this.media.probeFile(input);
        plan = hlsPlan(info, source.kind) ?? plan;
      }
      const out = join(dir, 'out');
      await mkdir(out);
      await this.encrypt(input, out, dir, key, plan);
      if (!plan.audioOnly) await this.media.poster(input, join(out, POSTER_NAME), posterTime(info?.durationSeconds ?? null));
      await rm(input, { force: true }); // the copy of the recording goes as soon as it is no longer needed
      const bytes = await this.upload(out, stream.storage_key, source);
      return { bytes, durationSeconds: info?.durationSeconds ?? null };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** ffmpeg with a key info file whose key file lives only while ffmpeg runs. */
  private async encrypt(input: string, out: string, dir: string, key: Buffer, plan: HlsPlan): Promise<void> {
    const keyDir = join(dir, 'key');
    await mkdir(keyDir, { mode: 0o700 });
    const keyFile = join(keyDir, 'stream.key');
    const keyInfoFile = join(keyDir, 'key.info');
    try {
      await writeFile(keyFile, key, { mode: 0o600 });
      await writeFile(keyInfoFile, hlsKeyInfo(keyFile, randomBytes(16).toString('hex')), { mode: 0o600 });
      await this.media.packageHls({ file: input }, { dir: out, keyInfoFile, copy: plan.copy, audioOnly: plan.audioOnly });
    } finally {
      await rm(keyDir, { recursive: true, force: true });
    }
  }

  /** Every file ffmpeg wrote, streamed to `<key>/<name>`, the playlist last. */
  private async upload(out: string, prefix: string, source: StreamSourceRow): Promise<number> {
    const names = (await readdir(out)).sort((a, b) => Number(a === HLS_PLAYLIST) - Number(b === HLS_PLAYLIST) || a.localeCompare(b));
    const tags = retentionTags(source.retention_class, source.expires_at);
    let bytes = 0;
    const put = async (name: string) => {
      const path = join(out, name);
      const size = (await stat(path)).size;
      const contentType = CONTENT_TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream';
      await putVerified(this.store, `${prefix}/${name}`, createReadStream(path), { contentType, expectedSize: size, tags });
      bytes += size;
    };
    const segments = names.filter((n) => n !== HLS_PLAYLIST);
    // On the first failure no worker takes another object, and all finish before it is thrown, so
    // the clean-up that follows sees every object that was written.
    let next = 0;
    let failure: unknown = null;
    const worker = async () => {
      while (failure === null && next < segments.length) {
        await put(segments[next++]).catch((error: unknown) => {
          failure ??= error;
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(UPLOAD_CONCURRENCY, segments.length) }, worker));
    if (failure !== null) throw failure;
    if (names.includes(HLS_PLAYLIST)) await put(HLS_PLAYLIST);
    else throw new Error('ffmpeg wrote no playlist');
    return bytes;
  }

  /** Stored only if the source still is and the stream was not discarded meanwhile; else its objects go. */
  private async finish(started: Started, made: { bytes: number; durationSeconds: number | null }): Promise<void> {
    const { stream, source, plan } = started;
    const kept = await this.transactions.run(async () => {
      const now = await this.streams.lockSource(source.id);
      if (!now || now.status !== 'stored' || now.delete_requested_at) return false;
      if (!(await this.streams.markStored(stream.id, { bytes: made.bytes, at: this.clock.now(), durationSeconds: made.durationSeconds }))) return false;
      await this.audit.append({
        actorId: 'recording-service',
        action: 'stream.packaged',
        subjectType: 'artifact',
        subjectId: stream.id,
        details: { recordingId: source.recording_id, sourceId: source.id, audioOnly: plan.audioOnly, remuxed: plan.copy },
      });
      return true;
    });
    if (!kept) await this.removeObjects(stream.storage_key);
  }

  private async fail(started: Started, error: Error): Promise<void> {
    const { stream, source } = started;
    await this.transactions.run(async () => {
      if (!(await this.streams.markFailed(stream.id, 'packaging failed', this.clock.now()))) return;
      await this.audit.append({
        actorId: 'recording-service',
        action: 'stream.failed',
        subjectType: 'artifact',
        subjectId: stream.id,
        details: { recordingId: source.recording_id, sourceId: source.id, cause: error.name },
      });
    });
  }

  /** Best effort: what is left is found by the next attempt, or by the object reconciler. */
  private async removeObjects(storageKey: string): Promise<void> {
    try {
      const keys = await this.store.listKeys(`${storageKey}/`);
      if (keys.length > 0) await this.store.deleteMany(keys);
    } catch (error) {
      this.logger.warn(`objects under a stream's key could not be removed yet (${(error as Error).name})`);
    }
  }
}
