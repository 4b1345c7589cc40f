/**
 * ffmpeg arguments that take the first audio track out of a video into an M4A, as data so they can
 * be read and unit-tested (only the media adapter spawns ffmpeg). `copy` keeps the track's own
 * bytes (Zoom's MP4 audio is AAC, which an M4A holds as is); `aac` re-encodes, for anything else.
 */
export type AudioExtractMode = 'copy' | 'aac';

export function audioExtractArgs(inputPath: string, outputPath: string, mode: AudioExtractMode): string[] {
  const codec = mode === 'copy' ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-b:a', '128k'];
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
    // The input is a video on local disk (Zoom's MP4): read it as that, never a URL it may name.
    '-protocol_whitelist', 'file', '-format_whitelist', 'mov,matroska',
    '-i', inputPath,
    // The first audio track only; no video, subtitles or data; no metadata (titles can carry names).
    '-map', '0:a:0', '-vn', '-sn', '-dn', '-map_metadata', '-1',
    ...codec,
    '-movflags', '+faststart', '-f', 'mp4',
    outputPath,
  ];
}
