import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { wrapStreamKey } from '@lib/playback';
import { call } from './api-client';
import { BUCKET } from './bucket';
import { ServiceHarness } from './harness';

const run = promisify(execFile);

/**
 * A packaged stream made without the packaging job, in the layout the design fixes: one `stream`
 * artifact whose storage_key is a folder holding `index.m3u8`, `seg-NNNNN.ts` (AES-128, key URI
 * `key`) and `poster.jpg` (video only); the AES key only in the row, wrapped by MEDIA_MASTER_KEY.
 */
export interface SeededStream {
  artifactId: string;
  storageKey: string;
  key: Buffer;
  /** Segment file names, in order. */
  segments: string[];
}

export interface StreamOptions {
  /** A media file to remux (its own timing, e.g. the sample recording whose transcript a page shows); else a generated clip. */
  source?: string;
  seconds?: number;
  audioOnly?: boolean;
  segmentSeconds?: number;
  /** Video bitrate of a generated clip (e.g. `1000k`, a Zoom recording's); else x264's default for the test pattern (tiny). */
  videoBitrate?: string;
  width?: number;
  height?: number;
}

/** Encodes a generated clip into an encrypted HLS folder; returns the folder and its key. */
export async function packageClip(dir: string, opts: StreamOptions = {}): Promise<{ key: Buffer; files: string[] }> {
  const key = randomBytes(16);
  writeFileSync(path.join(dir, 'stream.key'), key);
  writeFileSync(path.join(dir, 'key-info.txt'), `key\n${path.join(dir, 'stream.key')}\n${randomBytes(16).toString('hex')}\n`);
  const out = path.join(dir, 'hls');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  const seconds = String(opts.seconds ?? 6);
  const video = opts.audioOnly ? [] : ['-f', 'lavfi', '-i', `testsrc=size=${opts.width ?? 320}x${opts.height ?? 180}:rate=${opts.width ? 25 : 15}:duration=${seconds}`];
  const bitrate = opts.videoBitrate ? ['-b:v', opts.videoBitrate, '-maxrate', opts.videoBitrate, '-bufsize', opts.videoBitrate] : [];
  const codecs = opts.audioOnly ? ['-vn'] : ['-c:v', 'libx264', '-preset', 'ultrafast', ...bitrate, '-g', '30', '-pix_fmt', 'yuv420p'];
  const input = opts.source
    ? ['-i', opts.source, ...(opts.audioOnly ? ['-vn'] : []), '-c', 'copy']
    : [...video, '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, ...codecs, '-c:a', 'aac', '-b:a', '64k'];
  await run('ffmpeg', [
    '-v', 'error', '-y', ...input,
    '-f', 'hls', '-hls_time', String(opts.segmentSeconds ?? 2), '-hls_playlist_type', 'vod',
    '-hls_key_info_file', path.join(dir, 'key-info.txt'),
    '-hls_segment_filename', path.join(out, 'seg-%05d.ts'), path.join(out, 'index.m3u8'),
  ]);
  if (!opts.audioOnly) {
    const frameOf = opts.source ? ['-ss', '1', '-i', opts.source] : ['-f', 'lavfi', '-i', 'testsrc=size=320x180:duration=1'];
    await run('ffmpeg', ['-v', 'error', '-y', ...frameOf, '-frames:v', '1', path.join(out, 'poster.jpg')]);
  }
  return { key, files: readdirSync(out).sort().map((f) => path.join(out, f)) };
}

const TYPES: Record<string, string> = { '.m3u8': 'application/vnd.apple.mpegurl', '.ts': 'video/mp2t', '.jpg': 'image/jpeg' };

/** Where streams are seeded: a suite's harness, or a benchmark's own database and master key. */
export type StreamSeedTarget = Pick<ServiceHarness, 'query'> & { config: { mediaMasterKey: Buffer } };

/** Uploads a packaged clip under a new stream folder of the recording and inserts its stored artifact row. */
export async function seedStream(harness: StreamSeedTarget, s3: S3Client, recordingId: string, opts: StreamOptions = {}): Promise<SeededStream> {
  const dir = mkdtempSync(path.join(tmpdir(), 'stream-'));
  try {
    const { key, files } = await packageClip(dir, opts);
    const [recording] = await harness.query<{ storage_prefix: string }>('SELECT storage_prefix FROM recordings WHERE id = $1', [recordingId]);
    const storageKey = `${recording.storage_prefix}/${randomBytes(12).toString('hex')}`;
    for (const file of files) {
      const name = path.basename(file);
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${storageKey}/${name}`, Body: readFileSync(file), ContentType: TYPES[path.extname(name)] }));
    }
    // Derived from the recording's stored video when it has one, as the packaging job's streams are.
    const [video] = await harness.query<{ id: string }>("SELECT id FROM artifacts WHERE recording_id = $1 AND kind = 'video' AND status = 'stored' LIMIT 1", [recordingId]);
    const [row] = await harness.query<{ id: string }>(
      `INSERT INTO artifacts (recording_id, kind, storage_key, content_type, status, stored_at, stream_key_wrapped, stream_audio_only, derived_from)
       VALUES ($1, 'stream', $2, 'application/vnd.apple.mpegurl', 'stored', now(), $3, $4, $5) RETURNING id`,
      [recordingId, storageKey, wrapStreamKey(key, harness.config.mediaMasterKey), opts.audioOnly === true, video?.id ?? null],
    );
    const segments = files.map((f) => path.basename(f)).filter((n) => n.startsWith('seg-'));
    return { artifactId: row.id, storageKey, key, segments };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A recording row of a registered session (no Zoom): what playback needs to decide and serve. */
export async function seedRecording(harness: StreamSeedTarget, sessionId: string | null, profile: string): Promise<string> {
  const [row] = await harness.query<{ id: string }>(
    `INSERT INTO recordings (zoom_meeting_uuid, zoom_meeting_id, session_id, policy_profile, started_at, status, storage_prefix)
     VALUES ($1, '81234567890', $2, $3, now(), 'archived', $4) RETURNING id`,
    [`seed-${randomBytes(8).toString('hex')}`, sessionId, profile, `r/${randomBytes(16).toString('hex')}`],
  );
  return row.id;
}

/** Assigns a recording to a volunteer reviewer as an admin does (`POST /v1/reviews/assignments`). */
export async function assign(harness: ServiceHarness, recordingId: string, reviewerId: string, team: string): Promise<void> {
  const res = await call(harness, 'POST', '/v1/reviews/assignments', { roles: ['admin'], sub: 'admin-1', json: { recordingId, reviewerId, team } });
  if (res.status !== 201) throw new Error(`assignment answered ${res.status}: ${JSON.stringify(res.body)}`);
}
