import { Inject, Injectable } from '@nestjs/common';
import { AuditTrail } from '@lib/audit';
import type { Principal } from '@lib/auth';
import { Clock } from '@lib/clock';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { isUuid, Transactions } from '@lib/database';
import { newStudySecret } from './pseudonyms';
import { maySeeStudy } from './research-access';
import { StudyNotFound } from './research-errors';
import { ResearchRepository, StudyRow } from './research.repository';
import { checkStudy, StudyInput } from './study-rules';

export interface StudyView {
  id: string;
  name: string;
  programs: string[];
  sessionsFrom: string;
  sessionsTo: string;
  consentModel: string;
  kinds: string[];
  agreementExpiresAt: string;
  researchers: string[];
  nonConsenting: string;
  rebuildOnRevocation: boolean;
  downloadLimit: number;
  createdAt: string;
}

export const studyView = (s: StudyRow): StudyView => ({
  id: s.id,
  name: s.name,
  programs: s.programs,
  sessionsFrom: s.sessions_from.toISOString(),
  sessionsTo: s.sessions_to.toISOString(),
  consentModel: s.consent_model,
  kinds: s.kinds,
  agreementExpiresAt: s.agreement_expires_at.toISOString(),
  researchers: s.researchers,
  nonConsenting: s.non_consenting,
  rebuildOnRevocation: s.rebuild_on_revocation,
  downloadLimit: s.download_limit,
  createdAt: s.created_at.toISOString(),
});

/** Studies (issue 14 item 1): created by admins, read by admins and their own researchers. */
@Injectable()
export class Studies {
  constructor(
    private readonly research: ResearchRepository,
    private readonly transactions: Transactions,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(input: StudyInput, actorId: string): Promise<StudyView> {
    const now = this.clock.now();
    checkStudy(input, now);
    return this.transactions.run(async () => {
      const row = await this.research.insertStudy(
        {
          name: input.name,
          programs: input.programs,
          sessions_from: input.sessionsFrom,
          sessions_to: input.sessionsTo,
          consent_model: input.consentModel,
          kinds: input.kinds,
          agreement_expires_at: input.agreementExpiresAt,
          non_consenting: input.nonConsenting ?? 'remove',
          rebuild_on_revocation: input.rebuildOnRevocation ?? false,
          download_limit: input.downloadLimit ?? 5,
          pseudonym_secret_wrapped: newStudySecret(this.config.mediaMasterKey),
          created_by: actorId,
          created_at: now,
        },
        input.researchers,
      );
      await this.audit.append({ actorId, action: 'study.created', subjectType: 'study', subjectId: row.id, details: { researchers: row.researchers.length } });
      return studyView(row);
    });
  }

  async list(caller: Principal): Promise<StudyView[]> {
    const rows = await this.research.studies(caller.roles.includes('admin') ? null : caller.personId);
    return rows.map(studyView);
  }

  /** The study, or StudyNotFound for anyone who may not see it. */
  async visible(id: string, caller: Principal): Promise<StudyRow> {
    const study = isUuid(id) ? await this.research.study(id) : null;
    if (!study || !maySeeStudy(caller, study.researchers)) throw new StudyNotFound();
    return study;
  }

  async get(id: string, caller: Principal): Promise<StudyView> {
    return studyView(await this.visible(id, caller));
  }
}
