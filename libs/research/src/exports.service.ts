import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { AuditTrail } from '@lib/audit';
import type { Principal } from '@lib/auth';
import { Clock } from '@lib/clock';
import { isUuid, Transactions } from '@lib/database';
import { JobQueue } from '@lib/jobs';
import { ObjectStore } from '@lib/storage';
import { decisionProblem, ExportStatus } from './export-states';
import { isMember, maySeeStudy } from './research-access';
import { ExportForbidden, ExportNotAvailable, ExportNotFound } from './research-errors';
import { ExportRow, ResearchRepository, StudyRow } from './research.repository';
import { Studies } from './studies.service';
import { checkCriteria, ExportCriteria } from './study-rules';

export interface ExportView {
  id: string;
  studyId: string;
  status: ExportStatus;
  criteria: Record<string, unknown>;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  rebuiltFrom: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  deidVersion: string | null;
  summary: Record<string, unknown> | null;
  builtAt: string | null;
  expiresAt: string | null;
  downloads: number;
  downloadLimit: number;
  revokedAt: string | null;
  revokedReason: string | null;
  failureReason: string | null;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const exportView = (e: ExportRow, study: StudyRow): ExportView => ({
  id: e.id,
  studyId: e.study_id,
  status: e.status,
  criteria: e.criteria,
  requestedBy: e.requested_by,
  requestedAt: e.requested_at.toISOString(),
  decidedBy: e.decided_by,
  decidedAt: iso(e.decided_at),
  rebuiltFrom: e.rebuilt_from,
  sizeBytes: e.size_bytes === null ? null : Number(e.size_bytes),
  sha256: e.sha256,
  deidVersion: e.deid_version,
  summary: e.summary,
  builtAt: iso(e.built_at),
  expiresAt: iso(e.expires_at),
  downloads: e.downloads,
  downloadLimit: study.download_limit,
  revokedAt: iso(e.revoked_at),
  revokedReason: e.revoked_reason,
  failureReason: e.failure_reason,
});

/**
 * Export requests (issue 14 items 2 and 6): a researcher of the study asks, an admin who is not the
 * requester approves (the build is queued) or rejects; the study's researchers download a ready
 * export, streamed through the API, counted against the study's limit. Every move is audited.
 */
@Injectable()
export class Exports {
  constructor(
    private readonly research: ResearchRepository,
    private readonly studies: Studies,
    private readonly transactions: Transactions,
    private readonly store: ObjectStore,
    private readonly jobs: JobQueue,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async request(studyId: string, criteria: ExportCriteria, caller: Principal): Promise<ExportView> {
    const study = await this.studies.visible(studyId, caller);
    if (!isMember(caller, study.researchers)) throw new ExportForbidden('only a researcher of the study requests its exports');
    checkCriteria({ programs: study.programs, sessionsFrom: study.sessions_from, sessionsTo: study.sessions_to, kinds: study.kinds }, criteria);
    if (study.agreement_expires_at.getTime() <= this.clock.now().getTime()) throw new ExportNotAvailable('the study’s data-use agreement has expired');
    return this.transactions.run(async () => {
      const row = await this.research.insertExport({ studyId, criteria, requestedBy: caller.personId, at: this.clock.now() });
      await this.audit.append({ actorId: caller.personId, action: 'export.requested', subjectType: 'export', subjectId: row!.id, details: { studyId } });
      return exportView(row!, study);
    });
  }

  async get(id: string, caller: Principal): Promise<ExportView> {
    const { row, study } = await this.visible(id, caller);
    return exportView(row, study);
  }

  async list(studyId: string, caller: Principal): Promise<ExportView[]> {
    const study = await this.studies.visible(studyId, caller);
    return (await this.research.exportsOf(studyId)).map((e) => exportView(e, study));
  }

  approve(id: string, caller: Principal): Promise<ExportView> {
    return this.decide(id, caller, 'approved');
  }

  reject(id: string, caller: Principal): Promise<ExportView> {
    return this.decide(id, caller, 'rejected');
  }

  private async decide(id: string, caller: Principal, to: 'approved' | 'rejected'): Promise<ExportView> {
    const { row, study } = await this.visible(id, caller);
    const problem = decisionProblem(caller, row.requested_by);
    if (problem) throw new ExportForbidden(problem);
    return this.transactions.run(async () => {
      const from: ExportStatus[] = to === 'approved' ? ['requested', 'failed'] : ['requested'];
      const moved = await this.research.move(id, from, to, this.clock.now(), { decidedBy: caller.personId });
      if (!moved) throw new ExportNotAvailable(`the export is ${row.status}: it cannot be ${to}`);
      if (to === 'approved') await this.transactions.afterCommit(() => this.jobs.enqueue('build-export', { exportId: id }));
      await this.audit.append({ actorId: caller.personId, action: `export.${to}`, subjectType: 'export', subjectId: id, details: { studyId: row.study_id } });
      return exportView(moved, study);
    });
  }

  /** The archive, streamed; counted and audited before a byte leaves. */
  async download(id: string, caller: Principal): Promise<{ body: Readable; sizeBytes: number; fileName: string }> {
    const { row, study } = await this.visible(id, caller);
    if (!isMember(caller, study.researchers)) throw new ExportForbidden('only the study’s researchers download its exports');
    if (row.status !== 'ready' || !row.storage_key) throw new ExportNotAvailable(`the export is ${row.status}, not ready`);
    const counted = await this.transactions.run(async () => {
      const updated = await this.research.countDownload(id, study.download_limit);
      if (!updated) return null;
      await this.audit.append({ actorId: caller.personId, action: 'export.downloaded', subjectType: 'export', subjectId: id, details: { studyId: row.study_id, downloads: updated.downloads } });
      return updated;
    });
    if (!counted) throw new ExportNotAvailable(`the export's download limit (${study.download_limit}) is reached, or it is no longer ready`);
    return { body: await this.store.read(row.storage_key), sizeBytes: Number(row.size_bytes), fileName: `export-${id}.zip` };
  }

  private async visible(id: string, caller: Principal): Promise<{ row: ExportRow; study: StudyRow }> {
    const row = isUuid(id) ? await this.research.export(id) : null;
    const study = row ? await this.research.study(row.study_id) : null;
    if (!row || !study || !maySeeStudy(caller, study.researchers)) throw new ExportNotFound();
    return { row, study };
  }
}
