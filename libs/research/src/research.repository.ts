import { Injectable } from '@nestjs/common';
import { Sql } from '@lib/database';
import type { ExportStatus } from './export-states';
import type { ConsentModel, StudyKind } from './study-rules';

export interface StudyRow {
  id: string;
  name: string;
  programs: string[];
  sessions_from: Date;
  sessions_to: Date;
  consent_model: ConsentModel;
  kinds: StudyKind[];
  agreement_expires_at: Date;
  non_consenting: 'remove' | 'drop_session';
  rebuild_on_revocation: boolean;
  download_limit: number;
  pseudonym_secret_wrapped: string;
  created_by: string;
  created_at: Date;
  researchers: string[];
}

export interface ExportRow {
  id: string;
  study_id: string;
  status: ExportStatus;
  criteria: Record<string, unknown>;
  requested_by: string;
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  rebuilt_from: string | null;
  storage_key: string | null;
  size_bytes: string | null;
  sha256: string | null;
  consent_snapshot_hash: string | null;
  deid_version: string | null;
  summary: Record<string, unknown> | null;
  built_at: Date | null;
  expires_at: Date | null;
  downloads: number;
  revoked_at: Date | null;
  revoked_reason: string | null;
  failure_reason: string | null;
}

const STUDY_COLUMNS = `s.*, COALESCE((SELECT array_agg(r.person_id ORDER BY r.person_id) FROM study_researchers r WHERE r.study_id = s.id), '{}') AS researchers`;

/** Studies, their researchers, exports and who is in each built export. */
@Injectable()
export class ResearchRepository {
  constructor(private readonly sql: Sql) {}

  async insertStudy(s: Omit<StudyRow, 'id' | 'researchers'>, researchers: readonly string[]): Promise<StudyRow> {
    const row = await this.sql.one<{ id: string }>(
      `INSERT INTO studies (name, programs, sessions_from, sessions_to, consent_model, kinds, agreement_expires_at, non_consenting,
                            rebuild_on_revocation, download_limit, pseudonym_secret_wrapped, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [s.name, s.programs, s.sessions_from, s.sessions_to, s.consent_model, s.kinds, s.agreement_expires_at, s.non_consenting,
        s.rebuild_on_revocation, s.download_limit, s.pseudonym_secret_wrapped, s.created_by, s.created_at],
    );
    await this.sql.run('INSERT INTO study_researchers (study_id, person_id) SELECT $1, unnest($2::text[])', [row!.id, researchers]);
    return (await this.study(row!.id))!;
  }

  study(id: string): Promise<StudyRow | null> {
    return this.sql.one<StudyRow>(`SELECT ${STUDY_COLUMNS} FROM studies s WHERE s.id = $1`, [id]);
  }

  /** Every study (admins), or the studies a researcher belongs to. */
  studies(researcherId: string | null): Promise<StudyRow[]> {
    return researcherId === null
      ? this.sql.rows<StudyRow>(`SELECT ${STUDY_COLUMNS} FROM studies s ORDER BY s.created_at DESC, s.id`)
      : this.sql.rows<StudyRow>(
          `SELECT ${STUDY_COLUMNS} FROM studies s WHERE EXISTS (SELECT 1 FROM study_researchers r WHERE r.study_id = s.id AND r.person_id = $1)
            ORDER BY s.created_at DESC, s.id`,
          [researcherId],
        );
  }

  insertExport(e: { studyId: string; criteria: object; requestedBy: string; at: Date; status?: ExportStatus; rebuiltFrom?: string | null; decidedBy?: string | null }): Promise<ExportRow | null> {
    return this.sql.one<ExportRow>(
      `INSERT INTO research_exports (study_id, status, criteria, requested_by, requested_at, rebuilt_from, decided_by, decided_at, updated_at)
       VALUES ($1, $2, $3, $4, $5::timestamptz, $6, $7::text, CASE WHEN $7::text IS NULL THEN NULL ELSE $5::timestamptz END, $5::timestamptz) RETURNING *`,
      [e.studyId, e.status ?? 'requested', JSON.stringify(e.criteria), e.requestedBy, e.at, e.rebuiltFrom ?? null, e.decidedBy ?? null],
    );
  }

  export(id: string): Promise<ExportRow | null> {
    return this.sql.one<ExportRow>('SELECT * FROM research_exports WHERE id = $1', [id]);
  }

  lockExport(id: string): Promise<ExportRow | null> {
    return this.sql.one<ExportRow>('SELECT * FROM research_exports WHERE id = $1 FOR UPDATE', [id]);
  }

  exportsOf(studyId: string): Promise<ExportRow[]> {
    return this.sql.rows<ExportRow>('SELECT * FROM research_exports WHERE study_id = $1 ORDER BY requested_at DESC, id', [studyId]);
  }

  /** A conditional move: only from one of `from` (null when another caller moved it first). */
  move(id: string, from: readonly ExportStatus[], to: ExportStatus, at: Date, extra: { decidedBy?: string; failureReason?: string; revokedReason?: string } = {}): Promise<ExportRow | null> {
    return this.sql.one<ExportRow>(
      `UPDATE research_exports SET status = $3::text, updated_at = $4::timestamptz,
              decided_by = COALESCE($5::text, decided_by), decided_at = CASE WHEN $5::text IS NULL THEN decided_at ELSE $4::timestamptz END,
              failure_reason = CASE WHEN $3::text = 'failed' THEN $6::text ELSE failure_reason END,
              revoked_at = CASE WHEN $3::text = 'revoked' THEN $4::timestamptz ELSE revoked_at END,
              revoked_reason = CASE WHEN $3::text = 'revoked' THEN $7::text ELSE revoked_reason END
        WHERE id = $1 AND status = ANY($2::text[]) RETURNING *`,
      [id, from, to, at, extra.decidedBy ?? null, extra.failureReason ?? null, extra.revokedReason ?? null],
    );
  }

  /** The build finished: its object, checksum, consent snapshot and counts; ready until the agreement ends. */
  markReady(id: string, b: { storageKey: string; sizeBytes: number; sha256: string; consentSnapshotHash: string; deidVersion: string; summary: object; at: Date; expiresAt: Date }): Promise<ExportRow | null> {
    return this.sql.one<ExportRow>(
      `UPDATE research_exports SET status = 'ready', storage_key = $2, size_bytes = $3, sha256 = $4, consent_snapshot_hash = $5,
              deid_version = $6, summary = $7, built_at = $8, expires_at = $9, updated_at = $8
        WHERE id = $1 AND status = 'building' RETURNING *`,
      [id, b.storageKey, b.sizeBytes, b.sha256, b.consentSnapshotHash, b.deidVersion, JSON.stringify(b.summary), b.at, b.expiresAt],
    );
  }

  async setPeople(exportId: string, personIds: readonly string[]): Promise<void> {
    await this.sql.run('DELETE FROM research_export_people WHERE export_id = $1', [exportId]);
    await this.sql.run('INSERT INTO research_export_people (export_id, person_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [exportId, personIds]);
  }

  /** A download, counted only while ready and under the study's limit (null: refused). */
  countDownload(id: string, limit: number): Promise<ExportRow | null> {
    return this.sql.one<ExportRow>(
      `UPDATE research_exports SET downloads = downloads + 1 WHERE id = $1 AND status = 'ready' AND downloads < $2 RETURNING *`,
      [id, limit],
    );
  }

  /** Exports that hold (or are being built with) this person, in a study or in every study, locked. */
  lockExportsContaining(personId: string, studyId: string | null): Promise<ExportRow[]> {
    return this.sql.rows<ExportRow>(
      `SELECT e.* FROM research_exports e
        WHERE e.status IN ('building', 'ready')
          AND ($2::uuid IS NULL OR e.study_id = $2)
          AND EXISTS (SELECT 1 FROM research_export_people p WHERE p.export_id = e.id AND p.person_id = $1)
        ORDER BY e.id FOR UPDATE`,
      [personId, studyId],
    );
  }

  readyExpiredBy(at: Date, limit: number): Promise<ExportRow[]> {
    return this.sql.rows<ExportRow>(`SELECT * FROM research_exports WHERE status = 'ready' AND expires_at <= $1 ORDER BY expires_at, id LIMIT $2`, [at, limit]);
  }

  /** People in ready exports, with the study (the periodic consent check looks at these). */
  peopleInReadyExports(limit: number): Promise<Array<{ export_id: string; study_id: string; person_id: string }>> {
    return this.sql.rows(
      `SELECT p.export_id, e.study_id, p.person_id FROM research_export_people p JOIN research_exports e ON e.id = p.export_id
        WHERE e.status = 'ready' ORDER BY p.export_id, p.person_id LIMIT $1`,
      [limit],
    );
  }
}
