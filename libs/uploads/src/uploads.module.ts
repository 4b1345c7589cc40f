import { Module } from '@nestjs/common';
import { AuditModule } from '@lib/audit';
import { ConsentModule } from '@lib/consent';
import { RetentionModule } from '@lib/retention';
import { Uploads } from './upload.service';

@Module({ imports: [AuditModule, ConsentModule, RetentionModule], providers: [Uploads], exports: [Uploads] })
export class UploadsModule {}
