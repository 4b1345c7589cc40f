import type { MediaInfo } from '@lib/database';

/**
 * What `POST /v1/uploads` accepts (issue 3 item 10), as pure functions: images of pupils or their
 * work, and learner verification videos. The declared type is only a first filter; ffprobe's view
 * of the bytes decides.
 */
export const UPLOAD_KINDS = ['image', 'verification_video'] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];

/** Codecs ffprobe reports for still pictures. */
export const STILL_IMAGE_CODECS = new Set(['png', 'mjpeg', 'jpeg2000', 'webp', 'bmp', 'tiff', 'gif', 'jpegxl']);
/** ffprobe's demuxers for single pictures read from a pipe (png_pipe, jpeg_pipe, webp_pipe, …). */
const IMAGE_FORMAT = /(^|,)(image2|image2pipe|gif|[a-z0-9]+_pipe)(,|$)/;

/** The request's Content-Type matches the kind's family (image/*, video/*). */
export function declaredTypeProblem(kind: UploadKind, contentType: string | null): string | null {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const family = kind === 'image' ? 'image/' : 'video/';
  if (!type.startsWith(family) || type.length <= family.length) {
    return `an upload of kind ${kind} must be sent with Content-Type ${family}*, not ${type || 'none'}`;
  }
  return null;
}

/** Why the probed bytes are not what the kind promises, or null when they are. */
export function probedTypeProblem(kind: UploadKind, media: MediaInfo | null): string | null {
  if (!media) return 'the file is not an image or video ffprobe can read';
  const visual = media.streams.filter((s) => s.type === 'video');
  const imageFormat = IMAGE_FORMAT.test(media.formatName ?? '');
  if (kind === 'image') {
    const still = visual.length === 1 && STILL_IMAGE_CODECS.has(visual[0].codec ?? '') && imageFormat;
    const sound = media.streams.some((s) => s.type === 'audio');
    return still && !sound ? null : 'the file is not a still image (png, jpeg, webp, …)';
  }
  // A video: a container with a picture track, not a single picture (a PNG sent as video/mp4 is refused).
  return !imageFormat && visual.length > 0 ? null : 'the file is not a video';
}

/** A safe file extension for the object key, from the declared type. */
export function extensionFor(contentType: string | null): string | null {
  const subtype = (contentType ?? '').split(';')[0].trim().toLowerCase().split('/')[1] ?? '';
  const known: Record<string, string> = { jpeg: 'jpg', pjpeg: 'jpg', png: 'png', webp: 'webp', gif: 'gif', mp4: 'mp4', quicktime: 'mov', webm: 'webm', 'x-matroska': 'mkv' };
  return known[subtype] ?? null;
}

/** `learnerIds=a,b`: distinct, non-empty ids. */
export function parseLearnerIds(raw: string | undefined): string[] {
  return [...new Set((raw ?? '').split(',').map((s) => s.trim()).filter(Boolean))];
}
