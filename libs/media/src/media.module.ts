import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { FfmpegMediaToolkit } from './ffmpeg-media-toolkit';
import { MediaToolkit } from './media-toolkit';

@Global()
@Module({
  providers: [
    {
      provide: MediaToolkit,
      useFactory: (config: AppConfig) => new FfmpegMediaToolkit({ probeTimeoutMs: config.media.probeTimeoutMs, maxImagePixels: config.media.maxImagePixels }),
      inject: [APP_CONFIG],
    },
  ],
  exports: [MediaToolkit],
})
export class MediaModule {}
