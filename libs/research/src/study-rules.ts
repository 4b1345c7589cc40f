/**
 * What a study is (CONTRACT `POST /v1/studies`; issue 14 item 1), as pure rules: a study covers the
 * sessions of its programmes that start in `[sessionsFrom, sessionsTo)`, may receive only the kinds
 * it names, and only while its data-use agreement runs.
 */
export const STUDY_KINDS = ['transcript', 'chat', 'audio', 'talk_time'] as const;
export type StudyKind = (typeof STUDY_KINDS)[number];
export const CONSENT_MODELS = ['opt_in', 'opt_out'] as const;
export type ConsentModel = (typeof CONSENT_MODELS)[number];

export interface StudyInput {
  name: string;
  programs: string[];
  sessionsFrom: Date;
  sessionsTo: Date;
  consentModel: ConsentModel;
  kinds: StudyKind[];
  agreementExpiresAt: Date;
  researchers: string[];
  nonConsenting?: 'remove' | 'drop_session';
  rebuildOnRevocation?: boolean;
  downloadLimit?: number;
}

/** A study the rules refuse (HTTP 400 with the reason). */
export class InvalidStudy extends Error {
  override readonly name = 'InvalidStudy';
}

export function checkStudy(input: StudyInput, now: Date): void {
  if (input.sessionsFrom.getTime() >= input.sessionsTo.getTime()) throw new InvalidStudy('sessionsFrom must be before sessionsTo');
  if (input.agreementExpiresAt.getTime() <= now.getTime()) throw new InvalidStudy('agreementExpiresAt must be in the future');
  if (new Set(input.kinds).size !== input.kinds.length) throw new InvalidStudy('kinds lists a kind twice');
  if (new Set(input.researchers).size !== input.researchers.length) throw new InvalidStudy('researchers lists a person twice');
}

export interface ExportCriteria {
  /** Narrow the study's window and programmes; never widen them. */
  sessionsFrom?: Date;
  sessionsTo?: Date;
  programs?: string[];
  kinds?: StudyKind[];
}

export interface StudyScope {
  programs: string[];
  sessionsFrom: Date;
  sessionsTo: Date;
  kinds: StudyKind[];
}

/** What an export covers: the study's scope narrowed by the request's criteria (an empty result is allowed). */
export function exportScope(study: StudyScope, criteria: ExportCriteria): StudyScope {
  const from = Math.max(study.sessionsFrom.getTime(), criteria.sessionsFrom?.getTime() ?? -Infinity);
  const to = Math.min(study.sessionsTo.getTime(), criteria.sessionsTo?.getTime() ?? Infinity);
  const programs = criteria.programs ? study.programs.filter((p) => criteria.programs!.includes(p)) : study.programs;
  const kinds = criteria.kinds ? study.kinds.filter((k) => criteria.kinds!.includes(k)) : study.kinds;
  return { programs, sessionsFrom: new Date(from), sessionsTo: new Date(Math.max(from, to)), kinds };
}

/** Criteria asking for more than the study covers are refused rather than silently narrowed. */
export function checkCriteria(study: StudyScope, criteria: ExportCriteria): void {
  const extraPrograms = (criteria.programs ?? []).filter((p) => !study.programs.includes(p));
  if (extraPrograms.length > 0) throw new InvalidStudy(`the study does not cover program(s) ${extraPrograms.join(', ')}`);
  const extraKinds = (criteria.kinds ?? []).filter((k) => !study.kinds.includes(k));
  if (extraKinds.length > 0) throw new InvalidStudy(`the study may not receive ${extraKinds.join(', ')}`);
  if (criteria.sessionsFrom && criteria.sessionsTo && criteria.sessionsFrom.getTime() >= criteria.sessionsTo.getTime()) {
    throw new InvalidStudy('sessionsFrom must be before sessionsTo');
  }
}
