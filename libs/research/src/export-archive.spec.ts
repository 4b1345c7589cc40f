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

  it('fails the entry whose source fails', async () => {
    const archive = new ExportArchive();
    void buffer(archive.output).catch(() => undefined);
    const broken = new Readable({ read() { this.destroy(new Error('S3 went away')); } });
    await expect(archive.add('sessions/a/audio.m4a', broken)).rejects.toThrow('S3 went away');
    archive.abort();
  });
});
