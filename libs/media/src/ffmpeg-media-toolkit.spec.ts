import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FfmpegMediaToolkit } from './ffmpeg-media-toolkit';

// Real ffmpeg/ffprobe (the system's Debian package): the adapter is what these tests prove.
describe('FfmpegMediaToolkit', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'media-'));
  const video = path.join(dir, 'session.mp4');
  const toolkit = new FfmpegMediaToolkit();

  beforeAll(() => {
    // moov at the end, as Zoom writes its MP4s: a pipe-fed probe must still find it.
    execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '2', '-c:v', 'libx264', '-c:a', 'aac', '-y', video]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('probes duration and streams of a file', async () => {
    const info = await toolkit.probeFile(video);
    expect(info.durationSeconds).toBeCloseTo(2, 0);
    expect(info.streams.map((s) => s.type).sort()).toEqual(['audio', 'video']);
  });

  it('probes bytes in passing without holding up or altering the stream', async () => {
    const { tap, result } = toolkit.probeTap();
    const received: Buffer[] = [];
    const sink = new PassThrough();
    sink.on('data', (c) => received.push(c));
    await pipeline(createReadStream(video), tap, sink);
    const info = await result;
    expect(info?.streams.find((s) => s.type === 'video')).toMatchObject({ codec: 'h264', width: 160, height: 120 });
    expect(Buffer.concat(received).length).toBe(statSync(video).size);
  });

  it('gives null for bytes that are not media, and still passes them on', async () => {
    const { tap, result } = toolkit.probeTap();
    const sink = new PassThrough();
    sink.resume();
    await pipeline([Buffer.from('not a video at all')], tap, sink);
    await expect(result).resolves.toBeNull();
  });

  it('reports its version for readiness', async () => {
    await expect(toolkit.version()).resolves.toMatch(/ffprobe version/);
  });
});
