export * from './media-toolkit';
export * from './ffmpeg-media-toolkit';
export * from './ffprobe-output';
export * from './ffprobe-args';
export * from './audio-extract-args';
export * from './hls-args';
export * from './media.module';
