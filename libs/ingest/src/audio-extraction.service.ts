import { Inject, Injectable } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { APP_CONFIG, AppConfig } from '@lib/config';
import type { MediaInfo } from '@lib/database';
import { MediaToolkit, NoAudioTrack } from '@lib/media';
import { ObjectStore, putVerified, StreamMeter } from '@lib/storage';
import { ByteMeter } from './byte-meter';
import { DownloadRejected, OpenedDownload } from './download';
import { VideoSource, ZoomArtifactRepository } from './zoom-artifact.repository';

export type { VideoSource } from './zoom-artifact.repository';

/** Temporary directories of extractions start with this (tests look for leftovers). */
export const AUDIO_EXTRACT_TEMP_PREFIX = 'rec-audio-extract-';

export interface ExtractedAudio {
  bytes: number;
  sha256: string;
  media: MediaInfo | null;
}

/** Refuses the temporary copy once it would pass the configured bound. */
const sizeBound = (max: number) => new StreamMeter({ maxBytes: max, tooLarge });

const tooLarge = (max: number) =>
  new DownloadRejected(`the video is larger than AUDIO_EXTRACT_MAX_BYTES (${max} bytes): its audio was not extracted`);

/**
 * Video opt-out without an audio-only file (POLICIES §4): the MP4 goes into a size-bounded
 * temporary file on local disk, ffmpeg takes the audio out, only the audio is stored, and the
 * temporary files are deleted whatever happens. The video never reaches object storage from here.
 */
@Injectable()
export class AudioExtraction {
  constructor(
    private readonly artifacts: ZoomArtifactRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: ObjectStore,
    private readonly media: MediaToolkit,
  ) {}

  async source(videoId: string): Promise<VideoSource | null> {
    return this.artifacts.videoSource(videoId);
  }

  /** The derived audio reads its video from our bucket when the video is stored there (retroactive opt-out). */
  async readsFromStorage(derivedFrom: string | null): Promise<boolean> {
    return derivedFrom !== null && (await this.source(derivedFrom))?.status === 'stored';
  }

  /**
   * Extracts the audio of the video `derivedFrom` into `storageKey`: from our bucket when the video
   * is stored, else from Zoom through `openDownload` (the archive job's guarded downloader).
   */
  async extract(
    target: { storageKey: string; contentType: string; derivedFrom: string; tags?: Record<string, string> },
    openDownload: () => Promise<OpenedDownload>,
  ): Promise<ExtractedAudio> {
    const video = await this.source(target.derivedFrom);
    if (!video) throw new DownloadRejected('the video this audio comes from no longer exists');
    const max = this.config.retention.audioExtractMaxBytes;
    if (video.size !== null && video.size > max) throw tooLarge(max);
    const dir = await mkdtemp(join(tmpdir(), AUDIO_EXTRACT_TEMP_PREFIX));
    try {
      const input = join(dir, 'video.mp4');
      const output = join(dir, 'audio.m4a');
      if (video.status === 'stored') {
        await pipeline(await this.store.read(video.storageKey), sizeBound(max), createWriteStream(input));
      } else {
        const download = await openDownload();
        // The same checks as any Zoom download: an error page is refused, as are more or fewer bytes than announced.
        const meter = new ByteMeter({ expectedSize: video.size, contentType: download.contentType, expectJson: false });
        await pipeline(download.body, meter, sizeBound(max), createWriteStream(input));
      }
      try {
        await this.media.extractAudio(input, output);
      } catch (error) {
        if (error instanceof NoAudioTrack) throw new DownloadRejected(error.message);
        throw error;
      }
      await rm(input, { force: true }); // the video copy goes as soon as it is no longer needed
      return await this.storeFile(output, target);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async storeFile(path: string, target: { storageKey: string; contentType: string; tags?: Record<string, string> }): Promise<ExtractedAudio> {
    const size = (await stat(path)).size;
    const meter = new ByteMeter({ expectedSize: size, contentType: target.contentType, expectJson: false });
    const probe = this.media.probeTap();
    const stored = await putVerified(this.store, target.storageKey, createReadStream(path), {
      meter,
      stages: [probe.tap],
      contentType: target.contentType,
      expectedSize: size,
      tags: target.tags,
    });
    return { bytes: stored.size, sha256: stored.sha256, media: await probe.result };
  }
}
