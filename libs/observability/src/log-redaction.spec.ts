import { pathOnly } from './log-redaction';

describe('request paths as logged', () => {
  it('drops the query, where download URIs carry tokens', () => {
    expect(pathOnly('/v1/recordings/abc?token=secret')).toBe('/v1/recordings/abc');
  });

  it('replaces the token segment of a playback URI with [token]', () => {
    expect(pathOnly('/v1/playback/eyJyZWNvcmRpbmdJZCI6.c2lnbmF0dXJl/seg-00001.ts')).toBe('/v1/playback/[token]/seg-00001.ts');
    expect(pathOnly('/v1/playback/eyJ.sig/index.m3u8?x=1')).toBe('/v1/playback/[token]/index.m3u8');
    expect(pathOnly('/v1/playback/eyJ.sig')).toBe('/v1/playback/[token]');
  });

  it('leaves other paths alone, a recording id included', () => {
    expect(pathOnly('/v1/recordings/0b7c/playback')).toBe('/v1/recordings/0b7c/playback');
    expect(pathOnly(undefined)).toBe('');
  });
});
