import { Inject, Injectable, Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import { Clock } from '@lib/clock';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { ObjectStore, readWhole } from '@lib/storage';
import { Anchor, ANCHOR_PREFIX, anchorKey, anchorObjectKey, readAnchor, signAnchor } from './audit-anchor';

/** Anchors in the bucket: written by the sealer, read by verification (docs/audit.md). */
@Injectable()
export class AuditAnchors {
  private readonly logger = new Logger(AuditAnchors.name);
  private readonly key: Buffer;

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.key = anchorKey(config.audit.anchorKey, config.mediaMasterKey);
  }

  async write(seq: string, hash: string): Promise<Anchor> {
    const anchor = { seq, hash, at: this.clock.now().toISOString() };
    const body = Buffer.from(signAnchor(anchor, this.key));
    await this.store.put(anchorObjectKey(seq), Readable.from([body]), { contentType: 'application/json', expectedSize: body.length });
    return anchor;
  }

  /** Every anchor in sequence order; objects under the prefix whose signature fails are counted, never trusted. */
  async all(): Promise<{ valid: Anchor[]; forged: number }> {
    const keys = (await this.store.listKeys(ANCHOR_PREFIX)).sort();
    const valid: Anchor[] = [];
    let forged = 0;
    for (const key of keys) {
      const anchor = readAnchor((await readWhole(this.store, key)).toString('utf8'), this.key);
      if (anchor) valid.push(anchor);
      else forged += 1;
    }
    if (forged > 0) this.logger.warn(`audit: ${forged} anchor object(s) fail their signature`);
    return { valid: valid.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1)), forged };
  }
}
