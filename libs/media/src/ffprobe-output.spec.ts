import { mediaInfoFromProbe } from './ffprobe-output';

describe('mediaInfoFromProbe', () => {
  it('keeps duration, container and streams, and drops tags', () => {
    const info = mediaInfoFromProbe({
      format: { duration: '12.345678', format_name: 'mov,mp4,m4a,3gp,3g2,mj2' },
      streams: [
        { codec_type: 'video', codec_name: 'h264', width: 320, height: 240 },
        { codec_type: 'audio', codec_name: 'aac', sample_rate: '44100', channels: 1 },
      ],
    } as never);
    expect(info).toEqual({
      durationSeconds: 12.346,
      formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
      streams: [
        { type: 'video', codec: 'h264', width: 320, height: 240 },
        { type: 'audio', codec: 'aac', sampleRate: 44100, channels: 1 },
      ],
    });
  });

  it('reports an unknown duration as null', () => {
    expect(mediaInfoFromProbe({ format: { duration: 'N/A' } }).durationSeconds).toBeNull();
  });
});
