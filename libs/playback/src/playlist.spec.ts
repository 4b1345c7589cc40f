import { rewritePlaylist, UnexpectedPlaylist } from './playlist';

const FFMPEG = `#EXTM3U
#EXT-X-VERSION:3
#EXT-X-TARGETDURATION:4
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-KEY:METHOD=AES-128,URI="key",IV=0x00000000000000000000000000000001
#EXTINF:4.000000,
seg-00000.ts
#EXTINF:2.000000,
seg-00001.ts
#EXT-X-ENDLIST
`;

describe('the playlist as clients see it', () => {
  it('keeps ffmpeg playlist lines and names only relative segment files and the key route', () => {
    expect(rewritePlaylist(FFMPEG)).toBe(FFMPEG);
  });

  it('reduces absolute or bucket URIs to the segment name and the key URI to key', () => {
    const odd = FFMPEG.replace('seg-00000.ts', 'https://bucket.s3.example/r/abc/seg-00000.ts?X-Amz-Signature=1').replace('URI="key"', 'URI="file:///tmp/k.bin"');
    const out = rewritePlaylist(odd);
    expect(out).toBe(FFMPEG);
    expect(out).not.toMatch(/http|s3|file:/);
  });

  it('refuses a segment name outside the pattern and variant playlists', () => {
    expect(() => rewritePlaylist(FFMPEG.replace('seg-00001.ts', '../other.ts'))).toThrow(UnexpectedPlaylist);
    expect(() => rewritePlaylist('#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nlow.m3u8\n')).toThrow(UnexpectedPlaylist);
  });
});
