import { Injectable } from '@nestjs/common';
import { Transactions } from '@lib/database';
import { SafetyRepository } from './safety.repository';
import { TalkTimeRepository } from './talk-time.repository';

export interface AnalysisErasureCounts {
  /** Their own figures in talk-time reports, and the reports of sessions they tutored. */
  talkTimeRemoved: number;
  /** Flags naming them as sender or recipient, and exceptions about them. */
  safetyRemoved: number;
}

/**
 * Erasure of a person (issue 13 item 7): analysis results are personal data. Their rows and flags
 * go; a later analysis never brings them back, because analysis reads the roster without erased
 * people and their name is gone from the kept text.
 */
@Injectable()
export class AnalysisErasure {
  constructor(
    private readonly reports: TalkTimeRepository,
    private readonly safety: SafetyRepository,
    private readonly transactions: Transactions,
  ) {}

  removePerson(personId: string): Promise<AnalysisErasureCounts> {
    return this.transactions.run(async () => ({
      talkTimeRemoved: await this.reports.removePerson(personId),
      safetyRemoved: await this.safety.removePerson(personId),
    }));
  }
}
