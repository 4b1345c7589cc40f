import { Injectable } from '@nestjs/common';
import { Transactions } from '@lib/database';
import { Clock } from '@lib/clock';
import { AuditFact, ChainCheck, checkChain, GENESIS_HASH, linkFacts } from './audit-chain';
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

@Injectable()
export class AuditTrail {
  constructor(
    private readonly repository: AuditRepository,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
  ) {}

  /**
   * Appends one row, inside the caller's transaction when there is one, so the row commits (or not)
   * together with the change it records. Returns the row's id and hash (a receipt).
   */
  async append(input: AuditInput): Promise<AuditReceipt> {
    return (await this.appendMany([input]))[0];
  }

  /**
   * Appends several rows, chained in the given order, under one lock and in one INSERT (a batch of
   * deletions). Joins the caller's transaction. Returns each row's receipt, in order. The chain's
   * lock is taken last in any transaction (after its row locks) and held until it commits.
   */
  async appendMany(inputs: AuditInput[]): Promise<AuditReceipt[]> {
    if (inputs.length === 0) return [];
    return this.transactions.run(async () => {
      await this.repository.lockChain();
      const prevHash = (await this.repository.lastHash()) ?? GENESIS_HASH;
      // Millisecond precision: the column is timestamptz(3), and the hash must match what is read back.
      const facts = inputs.map((input) => ({ ...input, at: new Date(Math.floor((input.at ?? this.clock.now()).getTime())) }));
      return this.repository.insertLinks(linkFacts(prevHash, facts));
    });
  }

  /** Newest first, ids only. */
  async list(filter: { subjectId?: string; limit?: number }): Promise<AuditListItem[]> {
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
    const rows = await this.repository.newest(filter.subjectId ?? null, limit);
    return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
  }

  /** Re-computes the whole chain in id order, a page at a time. */
  async verify(): Promise<Omit<ChainCheck, 'lastHash'>> {
    let prevHash = GENESIS_HASH;
    let afterId = '0';
    let checked = 0;
    for (;;) {
      const rows = await this.repository.chainPage(afterId, VERIFY_PAGE);
      if (rows.length === 0) return { ok: true, checked, firstBrokenId: null };
      const result = checkChain(rows, prevHash);
      checked += result.checked;
      if (!result.ok) return { ok: false, checked, firstBrokenId: result.firstBrokenId };
      prevHash = result.lastHash;
      afterId = rows[rows.length - 1].id;
    }
  }
}
