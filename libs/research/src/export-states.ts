import type { Principal } from '@lib/auth';

/**
 * An export's life (issue 14 item 2): requested → approved → building → ready → expired | revoked;
 * requested → rejected; building → failed (an admin may approve a failed one again). Every move is
 * a conditional update from the state it expects, so two callers never both move it.
 */
export const EXPORT_STATUSES = ['requested', 'approved', 'rejected', 'building', 'ready', 'failed', 'expired', 'revoked'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

const NEXT: Record<ExportStatus, readonly ExportStatus[]> = {
  requested: ['approved', 'rejected'],
  approved: ['building', 'revoked'],
  building: ['ready', 'failed', 'revoked'],
  ready: ['expired', 'revoked'],
  failed: ['approved'],
  rejected: [],
  expired: [],
  revoked: [],
};

export function mayMove(from: ExportStatus, to: ExportStatus): boolean {
  return NEXT[from].includes(to);
}

/** The states a move to `to` starts from. */
export function movesInto(to: ExportStatus): ExportStatus[] {
  return EXPORT_STATUSES.filter((s) => NEXT[s].includes(to));
}

/** An admin decides, never on their own request (four eyes). */
export function decisionProblem(caller: Principal, requestedBy: string): string | null {
  if (!caller.roles.includes('admin')) return 'only an admin approves or rejects an export';
  if (caller.personId === requestedBy) return 'the requester cannot approve or reject their own export';
  return null;
}
