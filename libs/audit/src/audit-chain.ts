import { createHash } from 'node:crypto';

/** What an audit row says: ids and small facts only, never names or free text about a person. */
export interface AuditFact {
  at: Date;
  actorId: string;
  action: string;
  subjectType: string;
  subjectId: string;
  details?: Record<string, string | number | boolean | null>;
}

export interface ChainedAuditRow extends AuditFact {
  id: string;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Stable JSON: object keys sorted at every level, so the same fact always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * What an event's hashes cover: its canonical content, the same however its details were written —
 * `canonicalJson({ at, actorId, action, subjectType, subjectId, details })`, written out with the
 * keys already in their sorted order (verification computes it a million times; the generic walk
 * was a fifth of a full verification). A spec holds the two equal.
 */
export function factContent(fact: AuditFact): string {
  const text = JSON.stringify;
  return (
    `{"action":${text(fact.action)},"actorId":${text(fact.actorId)},"at":${text(fact.at.toISOString())},` +
    `"details":${canonicalJson(fact.details ?? {})},"subjectId":${text(fact.subjectId)},"subjectType":${text(fact.subjectType)}}`
  );
}

/** The row's hash covers the previous row's hash and the row's own canonical content (rows before issue 15). */
export function auditHash(prevHash: string, fact: AuditFact): string {
  return createHash('sha256').update(prevHash).update('\n').update(factContent(fact)).digest('hex');
}

export interface ChainCheck {
  ok: boolean;
  checked: number;
  firstBrokenId: string | null;
  /** Hash the next row must carry as prevHash (for paging through a long chain). */
  lastHash: string;
}

/** Walks rows in id order from `prevHash`; names the first row whose link or content does not hold. */
export function checkChain(rows: ChainedAuditRow[], prevHash = GENESIS_HASH): ChainCheck {
  let expectedPrev = prevHash;
  let checked = 0;
  for (const row of rows) {
    checked += 1;
    if (row.prevHash !== expectedPrev || auditHash(row.prevHash, row) !== row.hash) {
      return { ok: false, checked, firstBrokenId: row.id, lastHash: expectedPrev };
    }
    expectedPrev = row.hash;
  }
  return { ok: true, checked, firstBrokenId: null, lastHash: expectedPrev };
}

/** A fact linked into the chain: the hash it follows and its own. */
export interface ChainLink {
  fact: AuditFact & { details: NonNullable<AuditFact['details']> };
  prevHash: string;
  hash: string;
}

/** Links facts, in the given order, onto a chain whose last hash is `prevHash`. */
export function linkFacts(prevHash: string, facts: AuditFact[]): ChainLink[] {
  const links: ChainLink[] = [];
  let prev = prevHash;
  for (const input of facts) {
    const fact = { ...input, details: input.details ?? {} };
    const hash = auditHash(prev, fact);
    links.push({ fact, prevHash: prev, hash });
    prev = hash;
  }
  return links;
}
