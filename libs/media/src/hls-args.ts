import type { MediaInfo } from '@lib/database';

/**
 * ffmpeg arguments that package a recording as encrypted HLS (AES-128, MPEG-TS segments: the
 * Debian ffmpeg 5.1 refuses encrypted fMP4), and take a poster frame, as data (STYLE "ffmpeg
 * arguments are data"). Only the media adapter spawns ffmpeg.
 */

/** Target segment length; with `copy` ffmpeg cuts at the next keyframe after it. */
export const HLS_SEGMENT_SECONDS = 6;
export const HLS_PLAYLIST = 'index.m3u8';
export const HLS_SEGMENT_PATTERN = 'seg-%05d.ts';
/** The key's URI as written into the playlist: relative, resolved by the player against the playlist's URL. */
export const HLS_KEY_URI = 'key';

/** How a source is packaged: with or without pictures, and whether its tracks can be copied as they are. */
export interface HlsPlan {
  audioOnly: boolean;
  /** Remux only (no re-encoding): H.264 video and AAC audio (or none) go into MPEG-TS as they are. */
  copy: boolean;
}

/** Decided from ffprobe's streams (stored media_info or a fresh probe); null when there is nothing to play. */
export function hlsPlan(info: MediaInfo, kind: 'video' | 'audio'): HlsPlan | null {
  const video = info.streams.find((s) => s.type === 'video');
  const audio = info.streams.find((s) => s.type === 'audio');
  if (kind === 'audio' || !video) {
    if (!audio) return null;
    return { audioOnly: true, copy: audio.codec === 'aac' };
  }
  return { audioOnly: false, copy: video.codec === 'h264' && (!audio || audio.codec === 'aac') };
}

export interface HlsOutput {
  /** Folder ffmpeg writes the playlist and segments into. */
  dir: string;
  /** ffmpeg's key info file: key URI, key file path, IV (one a line). */
  keyInfoFile: string;
  copy: boolean;
  audioOnly: boolean;
}

export function hlsPackageArgs(inputPath: string, out: HlsOutput): string[] {
  const codecs = out.copy
    ? ['-c', 'copy']
    : [
        ...(out.audioOnly
          ? []
          : // Keyframes every segment length, so re-encoded segments are the length asked for.
            ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-force_key_frames', `expr:gte(t,n_forced*${HLS_SEGMENT_SECONDS})`]),
        '-c:a', 'aac', '-b:a', '128k',
      ];
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
    // Our own stored MP4/M4A/WebM, read as that and as a local file only, never as a URL it may name.
    '-protocol_whitelist', 'file', '-format_whitelist', 'mov,matroska',
    '-i', `file:${inputPath}`,
    ...(out.audioOnly ? ['-map', '0:a:0', '-vn'] : ['-map', '0:v:0', '-map', '0:a:0?']),
    // No subtitles, data or metadata (titles can carry names).
    '-sn', '-dn', '-map_metadata', '-1',
    ...codecs,
    '-f', 'hls',
    '-hls_time', String(HLS_SEGMENT_SECONDS),
    '-hls_playlist_type', 'vod',
    '-hls_segment_type', 'mpegts',
    '-hls_key_info_file', out.keyInfoFile,
    '-hls_segment_filename', `${out.dir}/${HLS_SEGMENT_PATTERN}`,
    `${out.dir}/${HLS_PLAYLIST}`,
  ];
}

/** The key info file ffmpeg reads: the URI written into the playlist, where the key is, and the IV. */
export function hlsKeyInfo(keyFile: string, ivHex: string): string {
  return `${HLS_KEY_URI}\n${keyFile}\n${ivHex}\n`;
}

/** One JPEG frame `atSeconds` into the video, at most 720 lines high, for the review page's player. */
export function posterArgs(inputPath: string, outputPath: string, atSeconds: number): string[] {
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
    '-protocol_whitelist', 'file', '-format_whitelist', 'mov,matroska',
    // Seeking before the input: decoding starts at the keyframe before, not at the beginning.
    '-ss', atSeconds.toFixed(3),
    '-i', `file:${inputPath}`,
    '-map', '0:v:0', '-an', '-sn', '-dn', '-map_metadata', '-1',
    '-frames:v', '1', '-vf', "scale=-2:'min(720,ih)'", '-q:v', '4',
    '-f', 'mjpeg', outputPath,
  ];
}

/** Where the poster is taken: a little way in (the first frames are often black), within the video. */
export function posterTime(durationSeconds: number | null): number {
  if (!durationSeconds || durationSeconds <= 0) return 0;
  return Math.min(5, durationSeconds / 10);
}
