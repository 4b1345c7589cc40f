import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ByteMeter } from './byte-meter';

async function meter(chunks: Buffer[], options: ConstructorParameters<typeof ByteMeter>[0]) {
  const m = new ByteMeter(options);
  const out: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (c) => out.push(c));
  await pipeline(Readable.from(chunks), m, sink);
  return { meter: m, bytes: Buffer.concat(out) };
}

describe('ByteMeter', () => {
  const video = Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypisom'), Buffer.alloc(2000, 7)]);

  it('passes bytes through unchanged while counting and hashing them', async () => {
    const { meter: m, bytes } = await meter([video.subarray(0, 100), video.subarray(100)], { expectedSize: video.length, contentType: 'video/mp4', expectJson: false });
    expect(bytes.equals(video)).toBe(true);
    expect(m.bytes).toBe(video.length);
    expect(m.sha256).toBe(createHash('sha256').update(video).digest('hex'));
  });

  it('refuses an HTML error page served with 200 before passing any of it on', async () => {
    const page = Buffer.from('<!DOCTYPE html><html><body>Sorry, this recording is gone</body></html>');
    await expect(meter([page], { expectedSize: null, contentType: 'text/html', expectJson: false })).rejects.toMatchObject({ name: 'DownloadRejected' });
  });

  it('refuses more bytes than Zoom announced', async () => {
    await expect(meter([video], { expectedSize: 100, contentType: 'video/mp4', expectJson: false })).rejects.toThrow('larger than the 100 bytes');
  });

  it('treats fewer bytes than announced as a truncated transfer worth retrying', async () => {
    await expect(meter([video], { expectedSize: video.length + 1, contentType: 'video/mp4', expectJson: false })).rejects.toMatchObject({ name: 'DownloadTransient' });
  });

  it('accepts a small JSON timeline when JSON is expected', async () => {
    const timeline = Buffer.from('{"timeline":[{"ts":"00:00:01.000","users":[]}]}');
    const { bytes } = await meter([timeline], { expectedSize: null, contentType: 'application/json', expectJson: true });
    expect(bytes.equals(timeline)).toBe(true);
  });
});

describe('ByteMeter on a small file served as an error page', () => {
  it('names the HTML page rather than the size when the page is longer than the file', async () => {
    const page = Buffer.from('<!DOCTYPE html><html><body>Sorry, an error occurred while downloading</body></html>');
    const m = new ByteMeter({ expectedSize: 21, contentType: 'text/html', expectJson: false });
    const sink = new PassThrough();
    sink.resume();
    await expect(pipeline(Readable.from([page]), m, sink)).rejects.toThrow(/HTML/i);
  });
});
