import { Module } from '@nestjs/common';
import { AuditModule } from '@lib/audit';
import { StreamPackaging } from './stream-packaging.service';
import { StreamRepository } from './stream.repository';

/** Encrypted HLS streams for reviewers (issue 12): packaging (worker) and playback (api). */
@Module({
  imports: [AuditModule],
  providers: [StreamRepository, StreamPackaging],
  exports: [StreamPackaging],
})
export class PlaybackModule {}
