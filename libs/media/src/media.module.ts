import { Global, Module } from '@nestjs/common';
import { FfmpegMediaToolkit } from './ffmpeg-media-toolkit';
import { MediaToolkit } from './media-toolkit';

@Global()
@Module({ providers: [{ provide: MediaToolkit, useClass: FfmpegMediaToolkit }], exports: [MediaToolkit] })
export class MediaModule {}
