import type { MediaInfo, MediaStreamInfo } from '@lib/database';

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  sample_rate?: number | string;
  channels?: number;
}
interface FfprobeData {
  format?: { duration?: number | string; format_name?: string };
  streams?: FfprobeStream[];
}

/** Keeps what we record of a media file: duration, container and streams (no tags: they can carry names). */
export function mediaInfoFromProbe(data: FfprobeData): MediaInfo {
  const duration = Number(data.format?.duration);
  return {
    durationSeconds: Number.isFinite(duration) ? Math.round(duration * 1000) / 1000 : null,
    formatName: data.format?.format_name ?? null,
    streams: (data.streams ?? []).map((s): MediaStreamInfo => {
      const info: MediaStreamInfo = { type: s.codec_type ?? 'unknown', codec: s.codec_name ?? null };
      if (s.width) info.width = s.width;
      if (s.height) info.height = s.height;
      if (s.sample_rate) info.sampleRate = Number(s.sample_rate);
      if (s.channels) info.channels = s.channels;
      return info;
    }),
  };
}

/** A picture track larger than the bound, by what ffprobe read from its header (width × height). */
export function oversizedPicture(info: MediaInfo, maxPixels: number): boolean {
  return info.streams.some((s) => s.type === 'video' && (s.width ?? 0) * (s.height ?? 0) > maxPixels);
}
