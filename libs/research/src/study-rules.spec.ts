import { decisionProblem, mayMove } from './export-states';
import { checkCriteria, checkStudy, exportScope, StudyInput } from './study-rules';

const now = new Date('2026-12-06T12:00:00Z');
const study: StudyInput = {
  name: 'SAT tutoring talk',
  programs: ['sat-bootcamp', 'school-partnership'],
  sessionsFrom: new Date('2026-09-01T00:00:00Z'),
  sessionsTo: new Date('2027-01-01T00:00:00Z'),
  consentModel: 'opt_out',
  kinds: ['transcript', 'chat', 'talk_time'],
  agreementExpiresAt: new Date('2027-12-31T00:00:00Z'),
  researchers: ['res-1'],
};

describe('studies and export requests', () => {
  it('refuses a window that ends before it starts, and an agreement already expired', () => {
    expect(() => checkStudy({ ...study, sessionsTo: study.sessionsFrom }, now)).toThrow('sessionsFrom must be before sessionsTo');
    expect(() => checkStudy({ ...study, agreementExpiresAt: now }, now)).toThrow('agreementExpiresAt must be in the future');
  });

  it('narrows the study by the request, never widens it', () => {
    const scope = exportScope(study, { sessionsFrom: new Date('2026-01-01T00:00:00Z'), sessionsTo: new Date('2026-10-01T00:00:00Z'), programs: ['sat-bootcamp'] });
    expect(scope).toEqual({ programs: ['sat-bootcamp'], sessionsFrom: study.sessionsFrom, sessionsTo: new Date('2026-10-01T00:00:00Z'), kinds: study.kinds });
  });

  it('refuses criteria asking for a programme or a kind the study does not cover', () => {
    expect(() => checkCriteria(study, { programs: ['gcse-maths'] })).toThrow('does not cover program(s) gcse-maths');
    expect(() => checkCriteria(study, { kinds: ['audio'] })).toThrow('may not receive audio');
  });

  it('moves an export only along its life', () => {
    expect(mayMove('requested', 'approved')).toBe(true);
    expect(mayMove('requested', 'ready')).toBe(false);
    expect(mayMove('ready', 'revoked')).toBe(true);
    expect(mayMove('revoked', 'ready')).toBe(false);
  });

  it('lets an admin decide another person’s request, never their own', () => {
    expect(decisionProblem({ personId: 'adm', roles: ['admin'] }, 'res-1')).toBeNull();
    expect(decisionProblem({ personId: 'res-1', roles: ['admin', 'researcher'] }, 'res-1')).toMatch(/own export/);
    expect(decisionProblem({ personId: 'res-2', roles: ['researcher'] }, 'res-1')).toMatch(/only an admin/);
  });
});
