import { Injectable } from '@nestjs/common';
import { ConsentLedger } from '@lib/consent';
import { ExportRevocation } from './export-revocation.service';
import { consentExclusion } from './research-consent';
import { ResearchRepository } from './research.repository';

/**
 * The safety net behind the withdrawal path (issue 14 item 7): people in ready exports whose
 * research consent no longer lets them in — a revocation that failed when the decision was
 * recorded — are revoked on the next pass. Separate from ExportRevocation, which consent calls:
 * this one reads the ledger, that one must not (consent → research → consent would be a cycle).
 */
@Injectable()
export class ExportConsentCheck {
  constructor(
    private readonly research: ResearchRepository,
    private readonly ledger: ConsentLedger,
    private readonly revocation: ExportRevocation,
  ) {}

  async revokeWithdrawn(limit = 5000): Promise<number> {
    const rows = await this.research.peopleInReadyExports(limit);
    const byExport = new Map<string, { studyId: string; people: string[] }>();
    for (const r of rows) byExport.set(r.export_id, { studyId: r.study_id, people: [...(byExport.get(r.export_id)?.people ?? []), r.person_id] });
    let revoked = 0;
    for (const { studyId, people } of byExport.values()) {
      const study = await this.research.study(studyId);
      if (!study) continue;
      const current = await this.ledger.researchConsent(people, studyId);
      for (const personId of people) {
        const c = current.get(personId) ?? null;
        if (consentExclusion(study.consent_model, c)) {
          revoked += await this.revocation.revokeContaining(personId, 'consent_withdrawn', 'recording-service', studyId);
        }
      }
    }
    return revoked;
  }
}
