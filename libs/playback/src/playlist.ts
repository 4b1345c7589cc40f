/**
 * The playlist as clients see it. ffmpeg wrote it next to its segments; we answer it with every
 * segment URI reduced to its own name (`seg-00000.ts`, relative: it resolves under the same
 * `/v1/playback/<token>/`) and the key URI set to `key`, so nothing but our routes is ever named.
 */
export const SEGMENT_NAME = /^seg-\d{5}\.ts$/;

export class UnexpectedPlaylist extends Error {
  constructor(readonly reason: string) {
    super(`unexpected stream playlist: ${reason}`);
    this.name = 'UnexpectedPlaylist';
  }
}

export function rewritePlaylist(text: string): string {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#EXT-X-KEY:')) {
      out.push(line.replace(/URI="[^"]*"/, 'URI="key"'));
    } else if (line.startsWith('#EXT-X-MAP:') || line.startsWith('#EXT-X-STREAM-INF') || line.startsWith('#EXT-X-MEDIA:')) {
      throw new UnexpectedPlaylist('only single-rendition MPEG-TS playlists are served');
    } else if (line.startsWith('#')) {
      out.push(line);
    } else {
      const bare = line.split('?')[0].split('/').pop() ?? '';
      if (!SEGMENT_NAME.test(bare)) throw new UnexpectedPlaylist('a segment URI outside the naming pattern');
      out.push(bare);
    }
  }
  return `${out.join('\n')}\n`;
}
