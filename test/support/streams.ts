import { PutObjectCommand } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BUCKET, s3Of } from './bucket';
import { ServiceHarness } from './harness';

const run = promisify(execFile);

export interface TestStream {
  artifactId: string;
  /** The stream's folder: `<storageKey>/index.m3u8`, `<storageKey>/seg-NNNNN.ts`, `<storageKey>/poster.jpg`. */
  storageKey: string;
  key: Buffer;
}

/** The design's wrapping (`v1.<iv>.<tag>.<ciphertext>`, AES-256-GCM, base64url) so a merged playback lib can read it. */
function wrap(key: Buffer, master: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', master, iv);
  const body = Buffer.concat([cipher.update(key), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

/**
 * What the packaging job produces, made here so suites that need a playable stream do not wait for
 * it (issue 12, docs/streaming.md "Storage layout"): `source` remuxed into AES-128 HLS (MPEG-TS,
 * 2 s segments, the playlist's key URI `key`), a poster, the objects under a random folder of the
 * recording, and a stored `stream` artifact derived from the recording's video. The wrapped key
 * goes into `stream_key_wrapped` when the packaging migration has added that column.
 */
export async function packageTestStream(harness: ServiceHarness, recordingId: string, source: string): Promise<TestStream> {
  const dir = await mkdtemp(join(tmpdir(), 'test-stream-'));
  try {
    const key = randomBytes(16);
    await writeFile(join(dir, 'stream.key'), key);
    await writeFile(join(dir, 'keyinfo'), `key\n${join(dir, 'stream.key')}\n${randomBytes(16).toString('hex')}\n`);
    const out = join(dir, 'out');
    await run('mkdir', ['-p', out]);
    await run('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-y', '-i', source, '-c', 'copy', '-f', 'hls', '-hls_time', '2', '-hls_playlist_type', 'vod',
      '-hls_segment_type', 'mpegts', '-hls_key_info_file', join(dir, 'keyinfo'), '-hls_segment_filename', join(out, 'seg-%05d.ts'), join(out, 'index.m3u8'),
    ]);
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-ss', '1', '-i', source, '-frames:v', '1', join(out, 'poster.jpg')]);
    const [recording] = await harness.query<{ storage_prefix: string }>('SELECT storage_prefix FROM recordings WHERE id = $1', [recordingId]);
    const [video] = await harness.query<{ id: string }>("SELECT id FROM artifacts WHERE recording_id = $1 AND kind = 'video' AND status = 'stored' LIMIT 1", [recordingId]);
    const storageKey = `${recording.storage_prefix}/${randomBytes(12).toString('hex')}`;
    const s3 = s3Of(harness);
    try {
      for (const name of await readdir(out)) {
        const type = name.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : name.endsWith('.ts') ? 'video/mp2t' : 'image/jpeg';
        await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${storageKey}/${name}`, Body: await readFile(join(out, name)), ContentType: type }));
      }
    } finally {
      s3.destroy();
    }
    const [row] = await harness.query<{ id: string }>(
      `INSERT INTO artifacts (recording_id, kind, storage_key, status, content_type, derived_from, stored_at)
       VALUES ($1, 'stream', $2, 'stored', 'application/vnd.apple.mpegurl', $3, now()) RETURNING id`,
      [recordingId, storageKey, video?.id ?? null],
    );
    const columns = await harness.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'artifacts' AND column_name IN ('stream_key_wrapped', 'stream_audio_only')",
    );
    if (columns.some((c) => c.column_name === 'stream_key_wrapped')) {
      await harness.query('UPDATE artifacts SET stream_key_wrapped = $2 WHERE id = $1', [row.id, wrap(key, harness.config.mediaMasterKey)]);
    }
    if (columns.some((c) => c.column_name === 'stream_audio_only')) await harness.query('UPDATE artifacts SET stream_audio_only = false WHERE id = $1', [row.id]);
    return { artifactId: row.id, storageKey, key };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Scaffolding until the playback branch (which creates `review_assignments`) is merged: the table
 * as the design states it, made only when missing; a no-op once the migration has made it.
 */
export async function ensureAssignmentsTable(harness: ServiceHarness): Promise<void> {
  await harness.query(`CREATE TABLE IF NOT EXISTS review_assignments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(), recording_id uuid NOT NULL REFERENCES recordings(id),
    reviewer_id text NOT NULL, team text NOT NULL, assigned_by text NOT NULL DEFAULT 'test', assigned_at timestamptz(3) NOT NULL DEFAULT now())`);
}

export async function assign(harness: ServiceHarness, recordingId: string, reviewerId: string, team: string): Promise<void> {
  await harness.query('INSERT INTO review_assignments (recording_id, reviewer_id, team) VALUES ($1, $2, $3)', [recordingId, reviewerId, team]);
}
