import { Global, Module } from '@nestjs/common';
import { AuditModule } from '@lib/audit';
import { ConsentModule, ResearchExports } from '@lib/consent';
import { ExportBuilder } from './export-builder.service';
import { ExportConsentCheck } from './export-consent-check.service';
import { ExportRevocation } from './export-revocation.service';
import { Exports } from './exports.service';
import { ResearchScopeRepository } from './research-scope.repository';
import { ResearchRepository } from './research.repository';
import { Studies } from './studies.service';

/**
 * Research studies and exports (issue 14). Global: it provides consent's `ResearchExports` port, so
 * a withdrawal or an erasure revokes exports without the consent lib importing this one.
 */
@Global()
@Module({
  imports: [AuditModule, ConsentModule],
  providers: [
    ResearchRepository,
    ResearchScopeRepository,
    Studies,
    Exports,
    ExportBuilder,
    ExportRevocation,
    ExportConsentCheck,
    { provide: ResearchExports, useExisting: ExportRevocation },
  ],
  exports: [Studies, Exports, ExportBuilder, ExportRevocation, ExportConsentCheck, ResearchExports],
})
export class ResearchModule {}
