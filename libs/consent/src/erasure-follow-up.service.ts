import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@lib/clock';
import { ErasureRecords, OpenErasureRow } from './erasure.repository';
import { ErasureText } from './erasure-text.service';
import { ErasureTraces } from './erasure-traces.service';
import { PersonErasure } from './person-erasure.service';

/** At most this many open erasures per run; the rest wait for the next one. */
const FOLLOW_UP_BATCH = 100;

/**
 * Finishes what an erasure could not do at once, on a schedule, until it is done:
 * text a hold kept as it was is redacted once the hold is released; text that arrives after the
 * erasure (a late transcript of their session, a recording never matched) is redacted within one
 * interval of being stored; their own files still downloading or held get their deletion request;
 * labels, hold notes and inbox bodies written since lose the name. The request keeps the name and
 * email it looks for until `follow_up_until` has passed and nothing in scope is pending, held or
 * unredacted; then it forgets them. Idempotent: every step skips what is already done.
 */
@Injectable()
export class ErasureFollowUp {
  private readonly logger = new Logger(ErasureFollowUp.name);

  constructor(
    private readonly records: ErasureRecords,
    private readonly erasure: PersonErasure,
    private readonly text: ErasureText,
    private readonly traces: ErasureTraces,
    private readonly clock: Clock,
  ) {}

  /** One pass over the open erasures; answers how many were closed. */
  async run(): Promise<number> {
    let closed = 0;
    for (const request of await this.records.openRequests(FOLLOW_UP_BATCH)) {
      try {
        if (await this.followUp(request)) closed += 1;
      } catch (error) {
        // Ids only: the request keeps the name, the log never does. The next run tries again.
        this.logger.warn(`erasure request ${request.id}: follow-up failed (${(error as Error).message}); retried next run`);
      }
    }
    return closed;
  }

  private async followUp(request: OpenErasureRow): Promise<boolean> {
    const target = request.redaction_name
      ? { personId: request.person_id, displayName: request.redaction_name, email: request.redaction_email }
      : null;
    await this.traces.clear(target, request.person_id);
    await this.erasure.deleteOwn(request.person_id, request.id, false);
    if (target) await this.text.redactKeptText(target, request.id);
    const now = this.clock.now();
    if (now.getTime() < request.follow_up_until.getTime()) return false;
    if ((await this.records.outstanding(request.person_id, request.id)) > 0) return false;
    await this.records.closeFollowUp(request.id, now);
    return true;
  }
}
