import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '@lib/clock';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { Transactions } from '@lib/database';
import { Metrics } from '@lib/observability';
import { GENESIS_HASH } from './audit-chain';
import { AuditAnchors } from './audit-anchors.service';
import { sealHash } from './audit-seal';
import { AuditRepository } from './audit.repository';

const BATCH = 1000;

/**
 * The one elected sealer (issue 15 item 1): under a transaction-level lock that other sealers try
 * and skip, it chains every committed, unsealed event onto the last seal, lowest id first, a batch
 * per transaction, then anchors the head in the bucket when it moved and the anchor interval has
 * passed. An event left unsealed past AUDIT_UNSEALED_ALERT_MS raises `unsealed_audit_events_oldest_seconds`
 * and logs one alert line per pass.
 */
@Injectable()
export class AuditSealer {
  private readonly logger = new Logger(AuditSealer.name);
  private lastAnchorAt = 0;
  private lastAnchoredSeq = '0';

  constructor(
    private readonly repository: AuditRepository,
    private readonly anchors: AuditAnchors,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Seals what is committed; returns how many events it sealed (0 when another sealer holds the lock). */
  async seal(): Promise<number> {
    let sealed = 0;
    for (;;) {
      const n = await this.transactions.run(async () => {
        if (!(await this.repository.trySealLock())) return 0;
        const pending = await this.repository.pending(BATCH);
        if (pending.length === 0) return 0;
        const last = await this.repository.lastSeal();
        let prev = last?.hash ?? GENESIS_HASH;
        let seq = BigInt(last?.seq ?? '0');
        const seals = pending.map((e) => {
          seq += 1n;
          const hash = sealHash(prev, e.id, e.hash);
          const seal = { seq: seq.toString(), eventId: e.id, prevHash: prev, hash };
          prev = hash;
          return seal;
        });
        await this.repository.insertSeals(seals, this.clock.now());
        return seals.length;
      });
      sealed += n;
      if (n < BATCH) break;
    }
    await this.anchorIfDue();
    await this.watchUnsealed();
    return sealed;
  }

  private async anchorIfDue(): Promise<void> {
    const now = this.clock.now().getTime();
    if (now - this.lastAnchorAt < this.config.audit.anchorIntervalMs) return;
    const last = await this.repository.lastSeal();
    if (!last || last.seq === this.lastAnchoredSeq) return;
    await this.anchors.write(last.seq, last.hash);
    this.lastAnchorAt = now;
    this.lastAnchoredSeq = last.seq;
  }

  private async watchUnsealed(): Promise<void> {
    const oldest = await this.repository.oldestUnsealed();
    const seconds = oldest ? Math.max(0, (this.clock.now().getTime() - oldest.getTime()) / 1000) : 0;
    this.metrics.auditUnsealedOldest.set(seconds);
    if (seconds * 1000 > this.config.audit.unsealedAlertMs) {
      this.logger.error(`ALERT audit: events unsealed for ${Math.round(seconds)} s (over ${this.config.audit.unsealedAlertMs / 1000} s)`);
    }
  }
}
