import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { ExportArchive } from './export-archive';

describe('the export archive', () => {
  it('writes each entry in turn, hashing what went in, into a ZIP that unzips to the same bytes', async () => {
    const archive = new ExportArchive();
    const zipped = buffer(archive.output);
    const audio = Buffer.alloc(300_000, 9);
    await archive.add('sessions/a/transcript.vtt', Buffer.from('WEBVTT\n'));
    await archive.add('sessions/a/audio.m4a', Readable.from([audio.subarray(0, 100_000), audio.subarray(100_000)]));
    await archive.finish();
    const bytes = await zipped;
    expect(archive.files).toEqual([
      { path: 'sessions/a/transcript.vtt', sha256: createHash('sha256').update('WEBVTT\n').digest('hex'), bytes: 7 },
      { path: 'sessions/a/audio.m4a', sha256: createHash('sha256').update(audio).digest('hex'), bytes: 300_000 },
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'rec-zip-'));
    try {
      writeFileSync(join(dir, 'x.zip'), bytes);
      execFileSync('python3', ['-c', 'import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', join(dir, 'x.zip'), join(dir, 'out')]);
      expect(readFileSync(join(dir, 'out/sessions/a/audio.m4a')).equals(audio)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps every byte of an entry that waits for its turn (nothing flows before archiver reads it)', async () => {
    const archive = new ExportArchive();
    const zipped = buffer(archive.output);
    const first = archive.add('a.txt', Buffer.from('first'));
    const second = archive.add('b.txt', Buffer.from('second, queued behind the first'));
    await Promise.all([first, second]);
    await archive.finish();
    const dir = mkdtempSync(join(tmpdir(), 'rec-zip-'));
    try {
      writeFileSync(join(dir, 'x.zip'), await zipped);
      execFileSync('python3', ['-c', 'import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', join(dir, 'x.zip'), join(dir, 'out')]);
      expect(readFileSync(join(dir, 'out/b.txt'), 'utf8')).toBe('second, queued behind the first');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails the entry whose source fails', async () => {
    const archive = new ExportArchive();
    void buffer(archive.output).catch(() => undefined);
    const broken = new Readable({ read() { this.destroy(new Error('S3 went away')); } });
    await expect(archive.add('sessions/a/audio.m4a', broken)).rejects.toThrow('S3 went away');
    archive.abort();
  });
});
