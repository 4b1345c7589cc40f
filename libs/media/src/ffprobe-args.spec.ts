import { exceededPixelLimit, PROBE_FORMATS, probeArgs } from './ffprobe-args';

describe('probeArgs', () => {
  const limits = { maxImagePixels: 50_000_000 };
  const valueOf = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

  it('lets a piped probe use the pipe protocol only', () => {
    const args = probeArgs({ kind: 'pipe' }, limits);
    expect(valueOf(args, '-protocol_whitelist')).toBe('pipe');
    expect(args.slice(-2)).toEqual(['-i', 'pipe:0']);
  });

  it('lets a file probe use the file protocol only, and reads its path as a file even when it looks like a URL', () => {
    const args = probeArgs({ kind: 'file', path: 'http://127.0.0.1/x.m3u8' }, limits);
    expect(valueOf(args, '-protocol_whitelist')).toBe('file');
    expect(args.slice(-2)).toEqual(['-i', 'file:http://127.0.0.1/x.m3u8']);
  });

  it('names the accepted containers and no playlist or stream format', () => {
    const formats = valueOf(probeArgs({ kind: 'pipe' }, limits), '-format_whitelist').split(',');
    expect(formats).toEqual([...PROBE_FORMATS]);
    expect(formats).toEqual(expect.arrayContaining(['mov', 'matroska', 'png_pipe', 'jpeg_pipe']));
    for (const refused of ['hls', 'dash', 'concat', 'mpegts', 'image2', 'tty', 'lavfi']) expect(formats).not.toContain(refused);
  });

  it('bounds decoded pictures by the pixel limit', () => {
    expect(valueOf(probeArgs({ kind: 'pipe' }, { maxImagePixels: 1234 }), '-max_pixels')).toBe('1234');
  });

  it('recognises ffprobe saying a picture is over the pixel limit', () => {
    expect(exceededPixelLimit('[IMGUTILS @ 0x1] Picture size 640x480 exceeds specified max pixel count 1000, see the documentation')).toBe(true);
    expect(exceededPixelLimit('pipe:0: Invalid data found when processing input')).toBe(false);
  });
});
