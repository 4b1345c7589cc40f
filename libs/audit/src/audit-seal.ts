import { createHash } from 'node:crypto';
import { auditHash, AuditFact, factContent, GENESIS_HASH } from './audit-chain';

/**
 * Log, then seal (issue 15 item 1), as pure rules. An event carries the hash of its own content
 * (its receipt, given at once); a seal links one event into the chain: sha256 over the previous
 * seal's hash, the event's id and the event's hash. The chain's order is the seal sequence — the
 * order the one sealer found events committed — not the id order, so an event whose transaction
 * commits late is simply sealed later.
 */
export function contentHash(fact: AuditFact): string {
  return createHash('sha256').update(factContent(fact)).digest('hex');
}

export function sealHash(prevHash: string, eventId: string, eventHash: string): string {
  return createHash('sha256').update(`${prevHash}\n${eventId}\n${eventHash}`).digest('hex');
}

export interface StoredEvent extends AuditFact {
  id: string;
  /** Set on events chained the old way (before log-then-seal): their hash covers it. */
  prevHash: string | null;
  hash: string;
}

/** Whether the event's stored hash still matches its content (either way it was written). */
export function eventHolds(event: StoredEvent): boolean {
  return (event.prevHash === null ? contentHash(event) : auditHash(event.prevHash, event)) === event.hash;
}

export interface SealedEvent extends StoredEvent {
  seq: string;
  sealPrevHash: string;
  sealHash: string;
}

export interface SealCheck {
  ok: boolean;
  checked: number;
  firstBrokenId: string | null;
  /** The chain's hash after the last seal checked (where the next page starts). */
  lastHash: string;
  lastSeq: string | null;
  /** The hash the chain had at each anchored seq it passed (for comparison with the anchors). */
  at: Map<string, string>;
}

/** Walks seals in sequence from `prevHash`; names the event of the first seal (or event) that does not hold. */
export function checkSeals(rows: readonly SealedEvent[], prevHash = GENESIS_HASH, anchoredSeqs: ReadonlySet<string> = new Set()): SealCheck {
  let expected = prevHash;
  let checked = 0;
  let lastSeq: string | null = null;
  const at = new Map<string, string>();
  for (const row of rows) {
    checked += 1;
    if (row.sealPrevHash !== expected || sealHash(expected, row.id, row.hash) !== row.sealHash || !eventHolds(row)) {
      return { ok: false, checked, firstBrokenId: row.id, lastHash: expected, lastSeq, at };
    }
    expected = row.sealHash;
    lastSeq = row.seq;
    if (anchoredSeqs.has(row.seq)) at.set(row.seq, expected);
  }
  return { ok: true, checked, firstBrokenId: null, lastHash: expected, lastSeq, at };
}
