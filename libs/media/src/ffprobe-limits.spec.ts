import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FfmpegMediaToolkit } from './ffmpeg-media-toolkit';

/** ffprobe processes this test process started that are still alive (Linux /proc). */
function ffprobeChildren(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [, comm, rest] = /^\d+ \((.*)\) (.*)$/s.exec(stat) ?? [];
      const [state, ppid] = (rest ?? '').split(' ');
      if (comm === 'ffprobe' && Number(ppid) === process.pid && state !== 'Z') pids.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return pids;
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

async function probeBytes(toolkit: FfmpegMediaToolkit, bytes: Buffer | string) {
  const { tap, result } = toolkit.probeTap();
  const sink = new PassThrough();
  sink.resume();
  await pipeline(Readable.from([Buffer.from(bytes)]), tap, sink);
  return result;
}

// Real ffprobe (the system's Debian package): what it may read, and that it never outlives its wait.
describe('ffprobe on untrusted bytes', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'probe-limits-'));
  const toolkit = new FfmpegMediaToolkit({ probeTimeoutMs: 1000, maxImagePixels: 50_000_000 });
  let decoy: Server;
  let decoyRequests = 0;
  let decoyUrl = '';

  beforeAll(async () => {
    decoy = createServer((_req, res) => {
      decoyRequests += 1;
      res.end();
    });
    await new Promise<void>((resolve) => decoy.listen(0, '127.0.0.1', resolve));
    decoyUrl = `http://127.0.0.1:${(decoy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => decoy.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads an HLS playlist as nothing and fetches none of its URLs', async () => {
    const playlist = `#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n${decoyUrl}/seg.ts\n#EXT-X-ENDLIST\n`;
    await expect(probeBytes(toolkit, playlist)).resolves.toBeNull();
    const file = path.join(dir, 'list.m3u8');
    writeFileSync(file, playlist);
    await expect(toolkit.probeFile(file)).rejects.toThrow('could not read');
    expect(decoyRequests).toBe(0);
  });

  it('refuses a container ffprobe can read but we do not accept (MPEG-TS)', async () => {
    const ts = path.join(dir, 'clip.ts');
    execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-t', '1', '-c:v', 'libx264', '-f', 'mpegts', '-y', ts]);
    await expect(probeBytes(toolkit, readFileSync(ts))).resolves.toBeNull();
  });

  it('refuses a picture with more pixels than the bound, and reads one within it', async () => {
    const png = path.join(dir, 'big.png');
    execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=640x480', '-frames:v', '1', '-y', png]);
    const strict = new FfmpegMediaToolkit({ probeTimeoutMs: 5000, maxImagePixels: 640 * 480 - 1 });
    await expect(probeBytes(strict, readFileSync(png))).resolves.toBeNull();
    const roomy = new FfmpegMediaToolkit({ probeTimeoutMs: 5000, maxImagePixels: 640 * 480 });
    const info = await probeBytes(roomy, readFileSync(png));
    expect(info?.streams[0]).toMatchObject({ type: 'video', codec: 'png', width: 640, height: 480 });
  });

  it('kills a probe that hangs on an input that never ends once its timeout passes', async () => {
    const fifo = path.join(dir, 'never-ends.mp4');
    execFileSync('mkfifo', [fifo]);
    // A writer that keeps the fifo open and sends nothing: ffprobe blocks reading for ever.
    const writer = spawn('sh', ['-c', `exec 3>"${fifo}"; sleep 30`], { stdio: 'ignore' });
    try {
      const before = Date.now();
      const probing = toolkit.probeFile(fifo);
      expect(await waitUntil(() => ffprobeChildren().length === 1, 3000)).toBe(true);
      await expect(probing).rejects.toThrow('could not read');
      expect(Date.now() - before).toBeGreaterThanOrEqual(900);
      expect(ffprobeChildren()).toEqual([]);
    } finally {
      writer.kill('SIGKILL');
    }
  });

  it('kills the probe at once when the transfer it watches fails', async () => {
    const { tap, result } = toolkit.probeTap();
    const source = new PassThrough();
    const flowing = pipeline(source, tap, new PassThrough().resume());
    source.write(Buffer.alloc(64 * 1024, 1));
    expect(await waitUntil(() => ffprobeChildren().length === 1, 3000)).toBe(true);
    source.destroy(new Error('download dropped'));
    await expect(flowing).rejects.toThrow('download dropped');
    await expect(result).resolves.toBeNull();
    expect(ffprobeChildren()).toEqual([]);
  });

  it('still probes a whole MP4 streamed through the tap', async () => {
    const mp4 = path.join(dir, 'ok.mp4');
    execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-t', '1', '-c:v', 'libx264', '-y', mp4]);
    const { tap, result } = toolkit.probeTap();
    await pipeline(createReadStream(mp4), tap, new PassThrough().resume());
    expect((await result)?.formatName).toMatch(/mov/);
    expect(ffprobeChildren()).toEqual([]);
  });
});
