import { Module } from '@nestjs/common';
import { AuditModule } from '@lib/audit';
import { ConsentModule } from '@lib/consent';
import { RetentionModule } from '@lib/retention';
import { UploadRepository } from './upload.repository';
import { Uploads } from './upload.service';

@Module({ imports: [AuditModule, ConsentModule, RetentionModule], providers: [UploadRepository, Uploads], exports: [Uploads] })
export class UploadsModule {}
