import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { audioExtractArgs } from './audio-extract-args';
import { FfmpegMediaToolkit } from './ffmpeg-media-toolkit';
import { NoAudioTrack } from './media-toolkit';

describe('audioExtractArgs', () => {
  it('copies the first audio track into an M4A, leaving video, subtitles, data and metadata behind', () => {
    expect(audioExtractArgs('/tmp/in.mp4', '/tmp/out.m4a', 'copy')).toEqual([
      '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
      '-protocol_whitelist', 'file', '-format_whitelist', 'mov,matroska',
      '-i', '/tmp/in.mp4',
      '-map', '0:a:0', '-vn', '-sn', '-dn', '-map_metadata', '-1',
      '-c:a', 'copy',
      '-movflags', '+faststart', '-f', 'mp4',
      '/tmp/out.m4a',
    ]);
  });

  it('re-encodes to AAC when asked (the fallback)', () => {
    const args = audioExtractArgs('in.mkv', 'out.m4a', 'aac');
    expect(args.slice(args.indexOf('-c:a'), args.indexOf('-c:a') + 4)).toEqual(['-c:a', 'aac', '-b:a', '128k']);
    expect(args).not.toContain('copy');
  });

  it('passes paths as single arguments, never through a shell', () => {
    const args = audioExtractArgs('/tmp/a b; rm -rf x.mp4', '/tmp/o $(x).m4a', 'copy');
    expect(args).toContain('/tmp/a b; rm -rf x.mp4');
    expect(args[args.length - 1]).toBe('/tmp/o $(x).m4a');
  });
});

// The adapter against the real ffmpeg (Debian package).
describe('FfmpegMediaToolkit.extractAudio', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'media-extract-'));
  const toolkit = new FfmpegMediaToolkit();
  const make = (name: string, args: string[]) => {
    const out = path.join(dir, name);
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', ...args, out]);
    return out;
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('copies the AAC track of an MP4 as it is, with no video in the result', async () => {
    const video = make('zoom.mp4', ['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '2', '-c:v', 'libx264', '-c:a', 'aac']);
    const out = path.join(dir, 'zoom.m4a');
    await expect(toolkit.extractAudio(video, out)).resolves.toEqual({ mode: 'copy' });
    const info = await toolkit.probeFile(out);
    expect(info.streams.map((s) => `${s.type}/${s.codec}`)).toEqual(['audio/aac']);
    expect(info.durationSeconds).toBeCloseTo(2, 0);
  });

  it('re-encodes to AAC when the track cannot be copied into an M4A', async () => {
    const video = make('other.mkv', ['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '1', '-c:v', 'mpeg4', '-c:a', 'pcm_s16le']);
    const out = path.join(dir, 'other.m4a');
    await expect(toolkit.extractAudio(video, out)).resolves.toEqual({ mode: 'aac' });
    expect((await toolkit.probeFile(out)).streams.map((s) => `${s.type}/${s.codec}`)).toEqual(['audio/aac']);
  });

  it('says so when the video has no audio track', async () => {
    const silent = make('silent.mp4', ['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-t', '1', '-c:v', 'libx264']);
    await expect(toolkit.extractAudio(silent, path.join(dir, 'silent.m4a'))).rejects.toBeInstanceOf(NoAudioTrack);
  });
});
