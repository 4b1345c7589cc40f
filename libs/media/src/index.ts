export * from './media-toolkit';
export * from './ffmpeg-media-toolkit';
export * from './ffprobe-output';
export * from './media.module';
