import { Injectable } from '@nestjs/common';
import { Transactions } from '@lib/database';
import { Clock } from '@lib/clock';
import { AuditFact, GENESIS_HASH } from './audit-chain';
import { AuditAnchors } from './audit-anchors.service';
import { checkSeals, contentHash, eventHolds } from './audit-seal';
import { AuditReceipt, AuditRepository } from './audit.repository';

const VERIFY_PAGE = 2000;

export type AuditInput = Omit<AuditFact, 'at'> & { at?: Date };

export interface AuditListItem {
  id: string;
  at: string;
  actorId: string;
  action: string;
  subjectType: string;
  subjectId: string;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBrokenId: string | null;
  /** Why it is broken (an event, a seal, an anchor that does not match, a tail cut off); absent when ok. */
  reason?: string;
}

@Injectable()
export class AuditTrail {
  constructor(
    private readonly repository: AuditRepository,
    private readonly anchors: AuditAnchors,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
  ) {}

  /**
   * Appends one event inside the caller's transaction when there is one, so it commits (or not)
   * together with the change it records — with no lock: the sealer chains it once committed
   * (log, then seal; issue 15). Returns its receipt at once: the id and the hash of its content.
   */
  async append(input: AuditInput): Promise<AuditReceipt> {
    return (await this.appendMany([input]))[0];
  }

  /** Appends several events in one INSERT (a batch of deletions). Receipts in order. */
  async appendMany(inputs: AuditInput[]): Promise<AuditReceipt[]> {
    if (inputs.length === 0) return [];
    // Millisecond precision: the column is timestamptz(3), and the hash must match what is read back.
    const events = inputs.map((input) => {
      const fact = { ...input, details: input.details ?? {}, at: new Date(Math.floor((input.at ?? this.clock.now()).getTime())) };
      return { ...fact, hash: contentHash(fact) };
    });
    return this.transactions.run(() => this.repository.insertEvents(events));
  }

  /** Newest first, ids only. */
  async list(filter: { subjectId?: string; limit?: number }): Promise<AuditListItem[]> {
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
    const rows = await this.repository.newest(filter.subjectId ?? null, limit);
    return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
  }

  /**
   * Re-computes the chain in seal order, a page at a time — from genesis (`full`) or from the last
   * anchor whose signature holds (`incremental`) — checks every event's own hash (unsealed ones
   * too), and compares the chain with every anchor: a recomputed chain no longer matches an anchor,
   * a tail cut off leaves an anchor beyond the end.
   */
  async verify(mode: 'full' | 'incremental' = 'full'): Promise<AuditVerification> {
    const anchors = await this.anchors.all();
    if (anchors.forged > 0) return { ok: false, checked: 0, firstBrokenId: null, reason: `${anchors.forged} anchor object(s) not signed with the anchor key` };
    const anchored = new Map(anchors.valid.map((a) => [a.seq, a.hash]));
    let prevHash = GENESIS_HASH;
    let afterSeq = '0';
    let checked = 0;
    const start = mode === 'incremental' ? anchors.valid.at(-1) : undefined;
    if (start) {
      const seal = await this.repository.sealAt(start.seq);
      if (!seal || seal.hash !== start.hash) return { ok: false, checked: 0, firstBrokenId: null, reason: `the chain does not match the anchor at seal ${start.seq}` };
      [prevHash, afterSeq] = [start.hash, start.seq];
    }
    let lastSeq = afterSeq;
    for (;;) {
      const rows = await this.repository.sealedPage(afterSeq, VERIFY_PAGE);
      if (rows.length === 0) break;
      const result = checkSeals(rows, prevHash, new Set(anchored.keys()));
      checked += result.checked;
      if (!result.ok) return { ok: false, checked, firstBrokenId: result.firstBrokenId, reason: 'an event or its seal does not match its hash' };
      for (const [seq, hash] of result.at) {
        if (anchored.get(seq) !== hash) return { ok: false, checked, firstBrokenId: rows.find((r) => r.seq === seq)?.id ?? null, reason: `the chain was recomputed: it does not match the anchor at seal ${seq}` };
      }
      prevHash = result.lastHash;
      afterSeq = lastSeq = rows[rows.length - 1].seq;
    }
    const beyond = anchors.valid.filter((a) => BigInt(a.seq) > BigInt(lastSeq));
    if (beyond.length > 0) return { ok: false, checked, firstBrokenId: null, reason: `the chain ends at seal ${lastSeq} but was anchored at seal ${beyond.at(-1)!.seq}: its tail was cut off` };
    let afterId = '0';
    for (;;) {
      const rows = await this.repository.unsealedPage(afterId, VERIFY_PAGE, mode === 'full');
      if (rows.length === 0) return { ok: true, checked, firstBrokenId: null };
      for (const row of rows) {
        checked += 1;
        if (!eventHolds(row)) return { ok: false, checked, firstBrokenId: row.id, reason: 'an event does not match its hash' };
      }
      afterId = rows[rows.length - 1].id;
    }
  }
}
