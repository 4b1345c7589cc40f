import { createHash } from 'node:crypto';

/** What a reviewer decides about a recording: fine, coach the tutor, or a safety escalation (a hold). */
export const REVIEW_OUTCOMES = ['ok', 'coach', 'safety'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export interface Assignment {
  reviewerId: string;
  team: string;
}

/** A recording with a stored stream and no review yet. */
export interface QueueCandidate {
  recordingId: string;
  /** Null for a recording no registered session claimed: it is sampled by its own id. */
  sessionId: string | null;
  startedAt: Date;
  /** The session has safety flags. Always false until issue 13 brings the flags. */
  flagged: boolean;
  assignments: Assignment[];
}

export type QueueReason = 'flagged' | 'assigned' | 'sampled';

export interface QueueEntry extends QueueCandidate {
  reasons: QueueReason[];
}

export interface QueueView {
  items: QueueEntry[];
  /** Each team's assigned recordings, in queue order; teams by name. */
  teams: Array<{ team: string; recordingIds: string[] }>;
}

/** Who reads the queue: a volunteer reviewer sees only what is assigned to them. */
export interface QueueReader {
  personId: string;
  assignedOnly: boolean;
}

/**
 * Deterministic sampling: a session is in the quality sample when the first 32 bits of the
 * SHA-256 of its id, read as a fraction of 2^32, lie below `share`. The same session is in or out
 * on every read and every replica, and about `share` of all sessions are in.
 */
export function inQualitySample(key: string, share: number): boolean {
  if (share <= 0) return false;
  if (share >= 1) return true;
  const point = createHash('sha256').update(key, 'utf8').digest().readUInt32BE(0) / 2 ** 32;
  return point < share;
}

/**
 * The review queue: flagged, assigned and sampled candidates (others are left out), safety flags
 * first, then newest, then by id so equal times keep one order. `team` keeps only recordings
 * assigned to that team; a volunteer reader sees only recordings assigned to them.
 */
export function buildQueue(candidates: readonly QueueCandidate[], share: number, reader: QueueReader, team?: string): QueueView {
  const items: QueueEntry[] = [];
  for (const c of candidates) {
    const reasons: QueueReason[] = [];
    if (c.flagged) reasons.push('flagged');
    if (c.assignments.length > 0) reasons.push('assigned');
    if (inQualitySample(c.sessionId ?? c.recordingId, share)) reasons.push('sampled');
    if (reasons.length === 0) continue;
    if (reader.assignedOnly && !c.assignments.some((a) => a.reviewerId === reader.personId)) continue;
    if (team !== undefined && !c.assignments.some((a) => a.team === team)) continue;
    items.push({ ...c, reasons });
  }
  items.sort(
    (a, b) =>
      Number(b.flagged) - Number(a.flagged) ||
      b.startedAt.getTime() - a.startedAt.getTime() ||
      (a.recordingId < b.recordingId ? -1 : a.recordingId > b.recordingId ? 1 : 0),
  );
  const byTeam = new Map<string, string[]>();
  for (const item of items) {
    for (const t of new Set(item.assignments.map((a) => a.team))) byTeam.set(t, [...(byTeam.get(t) ?? []), item.recordingId]);
  }
  const teams = [...byTeam.keys()].sort().map((t) => ({ team: t, recordingIds: byTeam.get(t)! }));
  return { items, teams };
}
