/**
 * ffprobe's arguments, as data (STYLE "ffmpeg arguments are data"). The bytes we probe come from
 * outside (uploads, Zoom's files), so ffprobe may read nothing but its own input: no protocol
 * beyond the one that input uses (a playlist cannot make it fetch URLs, whatever the build's
 * defaults), no demuxer beyond the containers we accept, and no picture larger than the bound.
 */

/**
 * Demuxers we accept. `mov` covers MP4, MOV and M4A (Zoom's video and audio, uploaded videos);
 * `matroska` WebM/MKV videos; the `*_pipe` image demuxers and `gif` are how ffprobe reads a still
 * picture from a pipe. Everything else (HLS and other playlists, MPEG-TS, concat, raw streams…)
 * is refused before it is parsed.
 */
export const PROBE_FORMATS = [
  'mov',
  'matroska',
  'png_pipe',
  'jpeg_pipe',
  'webp_pipe',
  'gif',
  'bmp_pipe',
  'tiff_pipe',
  'jpegxl_pipe',
  'j2k_pipe',
] as const;

export type ProbeInput = { kind: 'pipe' } | { kind: 'file'; path: string };

export interface ProbeLimits {
  /** Decoders refuse a picture with more pixels than this (ffmpeg's `max_pixels`). */
  readonly maxImagePixels: number;
}

export function probeArgs(input: ProbeInput, limits: ProbeLimits): string[] {
  return [
    '-hide_banner', '-loglevel', 'error',
    '-protocol_whitelist', input.kind === 'pipe' ? 'pipe' : 'file',
    '-format_whitelist', PROBE_FORMATS.join(','),
    '-max_pixels', String(limits.maxImagePixels),
    '-print_format', 'json', '-show_format', '-show_streams',
    // `file:` so that a path is never read as another protocol's URL.
    '-i', input.kind === 'pipe' ? 'pipe:0' : `file:${input.path}`,
  ];
}

/** ffprobe said a picture was over `max_pixels` (it then still reports the stream, at 0×0). */
export function exceededPixelLimit(stderr: string): boolean {
  return /exceeds specified max pixel count/.test(stderr);
}
