import { Module } from '@nestjs/common';
import { AuditModule } from '@lib/audit';
import { ArtifactDeletion } from './artifact-deletion.service';

@Module({ imports: [AuditModule], providers: [ArtifactDeletion], exports: [ArtifactDeletion] })
export class RetentionModule {}
