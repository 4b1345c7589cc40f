import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { MediaInfo } from '@lib/database';
import { FfmpegMediaToolkit } from './ffmpeg-media-toolkit';
import { hlsKeyInfo, hlsPackageArgs, hlsPlan, posterArgs, posterTime } from './hls-args';

const info = (...streams: Array<[string, string]>): MediaInfo => ({ durationSeconds: 10, formatName: 'mov', streams: streams.map(([type, codec]) => ({ type, codec })) });
const valueOf = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('hlsPlan', () => {
  it('remuxes H.264 video with AAC audio (or none) without re-encoding', () => {
    expect(hlsPlan(info(['video', 'h264'], ['audio', 'aac']), 'video')).toEqual({ audioOnly: false, copy: true });
    expect(hlsPlan(info(['video', 'h264']), 'video')).toEqual({ audioOnly: false, copy: true });
  });

  it('re-encodes any other video or audio codec', () => {
    expect(hlsPlan(info(['video', 'vp9'], ['audio', 'opus']), 'video')).toEqual({ audioOnly: false, copy: false });
    expect(hlsPlan(info(['video', 'h264'], ['audio', 'pcm_s16le']), 'video')).toEqual({ audioOnly: false, copy: false });
  });

  it('packages audio sources (and videos without a picture) as audio-only, copying AAC', () => {
    expect(hlsPlan(info(['audio', 'aac']), 'audio')).toEqual({ audioOnly: true, copy: true });
    expect(hlsPlan(info(['audio', 'mp3']), 'audio')).toEqual({ audioOnly: true, copy: false });
    expect(hlsPlan(info(['audio', 'aac']), 'video')).toEqual({ audioOnly: true, copy: true });
  });

  it('has nothing to package without an audio or video track', () => {
    expect(hlsPlan(info(['data', 'bin_data']), 'video')).toBeNull();
    expect(hlsPlan(info(['video', 'h264']), 'audio')).toBeNull();
  });
});

describe('hlsPackageArgs', () => {
  const out = { dir: '/tmp/out', keyInfoFile: '/tmp/k/key.info', copy: true, audioOnly: false };

  it('writes an encrypted VOD playlist of MPEG-TS segments named seg-NNNNN.ts', () => {
    const args = hlsPackageArgs('/tmp/in.mp4', out);
    expect(valueOf(args, '-f')).toBe('hls');
    expect(valueOf(args, '-hls_playlist_type')).toBe('vod');
    expect(valueOf(args, '-hls_segment_type')).toBe('mpegts');
    expect(valueOf(args, '-hls_key_info_file')).toBe('/tmp/k/key.info');
    expect(valueOf(args, '-hls_segment_filename')).toBe('/tmp/out/seg-%05d.ts');
    expect(Number(valueOf(args, '-hls_time'))).toBeGreaterThanOrEqual(4);
    expect(Number(valueOf(args, '-hls_time'))).toBeLessThanOrEqual(6);
    expect(args[args.length - 1]).toBe('/tmp/out/index.m3u8');
  });

  it('reads only a local file of the containers we store', () => {
    const args = hlsPackageArgs('http://127.0.0.1/x.m3u8', out);
    expect(valueOf(args, '-protocol_whitelist')).toBe('file');
    expect(valueOf(args, '-format_whitelist')).toBe('mov,matroska');
    expect(valueOf(args, '-i')).toBe('file:http://127.0.0.1/x.m3u8');
    expect(valueOf(args, '-map_metadata')).toBe('-1');
  });

  it('copies the tracks when it can, and re-encodes with libx264 veryfast and AAC otherwise', () => {
    expect(valueOf(hlsPackageArgs('in.mp4', out), '-c')).toBe('copy');
    const encode = hlsPackageArgs('in.mp4', { ...out, copy: false });
    expect(encode).not.toContain('copy');
    expect(valueOf(encode, '-c:v')).toBe('libx264');
    expect(valueOf(encode, '-preset')).toBe('veryfast');
    expect(valueOf(encode, '-c:a')).toBe('aac');
  });

  it('maps the first audio track only for an audio-only stream', () => {
    const args = hlsPackageArgs('in.m4a', { ...out, audioOnly: true, copy: false });
    expect(valueOf(args, '-map')).toBe('0:a:0');
    expect(args).toContain('-vn');
    expect(args).not.toContain('-c:v');
  });

  it('names the key by a relative URI and gives the IV', () => {
    expect(hlsKeyInfo('/tmp/k/key.bin', '00112233445566778899aabbccddeeff')).toBe('key\n/tmp/k/key.bin\n00112233445566778899aabbccddeeff\n');
  });
});

describe('posterArgs', () => {
  it('takes one JPEG frame of the first video track, at most 720 lines high', () => {
    const args = posterArgs('/tmp/in.mp4', '/tmp/poster.jpg', 2.5);
    expect(valueOf(args, '-ss')).toBe('2.500');
    expect(valueOf(args, '-frames:v')).toBe('1');
    expect(valueOf(args, '-f')).toBe('mjpeg');
    expect(valueOf(args, '-protocol_whitelist')).toBe('file');
    expect(args[args.length - 1]).toBe('/tmp/poster.jpg');
  });

  it('is taken a little way in, never past the end', () => {
    expect(posterTime(null)).toBe(0);
    expect(posterTime(4)).toBeCloseTo(0.4);
    expect(posterTime(3600)).toBe(5);
  });
});

// The adapter against the real ffmpeg (Debian package).
describe('FfmpegMediaToolkit.packageHls and .poster', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'media-hls-'));
  const toolkit = new FfmpegMediaToolkit();
  const key = Buffer.alloc(16, 9);
  const make = (name: string, args: string[]) => {
    const file = path.join(dir, name);
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', ...args, file]);
    return file;
  };
  const keyInfo = (name: string) => {
    const keyFile = path.join(dir, `${name}.key`);
    writeFileSync(keyFile, key);
    const file = path.join(dir, `${name}.keyinfo`);
    writeFileSync(file, hlsKeyInfo(keyFile, '0123456789abcdef0123456789abcdef'));
    return file;
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('remuxes an H.264/AAC MP4 into encrypted segments and a playlist naming them relatively', async () => {
    const video = make('v.mp4', ['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '4', '-g', '20', '-c:v', 'libx264', '-c:a', 'aac']);
    const out = mkdtempSync(path.join(dir, 'out-'));
    await toolkit.packageHls({ file: video }, { dir: out, keyInfoFile: keyInfo('v'), copy: true, audioOnly: false });
    const playlist = readFileSync(path.join(out, 'index.m3u8'), 'utf8');
    expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(playlist).toMatch(/#EXT-X-KEY:METHOD=AES-128,URI="key",IV=0x0123456789abcdef0123456789abcdef/);
    expect(playlist).toContain('\nseg-00000.ts\n');
    expect(readdirSync(out).filter((f) => f.endsWith('.ts')).length).toBeGreaterThanOrEqual(1);
  });

  it('re-encodes what cannot be copied, and packages audio alone', async () => {
    const other = make('o.mkv', ['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-f', 'lavfi', '-i', 'sine', '-t', '2', '-c:v', 'mpeg4', '-c:a', 'pcm_s16le']);
    const out = mkdtempSync(path.join(dir, 'out-'));
    await toolkit.packageHls({ file: other }, { dir: out, keyInfoFile: keyInfo('o'), copy: false, audioOnly: false });
    expect(readFileSync(path.join(out, 'index.m3u8'), 'utf8')).toContain('seg-00000.ts');

    const audio = make('a.m4a', ['-f', 'lavfi', '-i', 'sine', '-t', '2', '-c:a', 'aac']);
    const audioOut = mkdtempSync(path.join(dir, 'out-'));
    await toolkit.packageHls({ file: audio }, { dir: audioOut, keyInfoFile: keyInfo('a'), copy: true, audioOnly: true });
    expect(readFileSync(path.join(audioOut, 'index.m3u8'), 'utf8')).toContain('METHOD=AES-128');
  });

  it('fails with ffmpeg\'s reason when the input is not media, and when it passes its deadline', async () => {
    const junk = path.join(dir, 'junk.mp4');
    writeFileSync(junk, 'not a video');
    const out = mkdtempSync(path.join(dir, 'out-'));
    await expect(toolkit.packageHls({ file: junk }, { dir: out, keyInfoFile: keyInfo('j'), copy: true, audioOnly: false })).rejects.toThrow(/ffmpeg failed/);
    const long = make('long.mp4', ['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-t', '10', '-c:v', 'libx264', '-preset', 'ultrafast']);
    await expect(toolkit.packageHls({ file: long }, { dir: out, keyInfoFile: keyInfo('l'), copy: false, audioOnly: false, timeoutMs: 50 })).rejects.toThrow(/did not finish/);
  });

  it('writes a JPEG poster frame', async () => {
    const video = make('p.mp4', ['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=10', '-t', '2', '-c:v', 'libx264']);
    const poster = path.join(dir, 'poster.jpg');
    await toolkit.poster(video, poster, posterTime(2));
    expect(readFileSync(poster).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });
});
