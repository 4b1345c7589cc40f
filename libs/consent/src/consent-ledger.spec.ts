import { Logger } from '@nestjs/common';
import { AuditTrail } from '@lib/audit';
import { Clock } from '@lib/clock';
import { Transactions } from '@lib/database';
import { JobQueue } from '@lib/jobs';
import { Metrics } from '@lib/observability';
import { ConsentDecisions } from './consent-decisions.repository';
import { ConsentEvidence } from './consent-evidence';
import { ResearchExports } from './research-exports.port';
import { ConsentLedger } from './consent-ledger.service';

/** A decision whose transaction fails leaves an evidence object behind; what happens to it. */
describe('ConsentLedger, evidence of a decision that rolled back', () => {
  const setup = (removeFails: boolean) => {
    const metrics = new Metrics();
    const decisions = {
      person: async () => ({ minor: false }),
      guardiansOf: async () => [],
      latestDecisionAt: async () => null,
      insert: async () => {
        throw new Error('database went away');
      },
    } as unknown as ConsentDecisions;
    const removed: string[][] = [];
    const evidence = {
      save: async () => 'e/abc/def.json',
      remove: async (keys: string[]) => {
        removed.push(keys);
        if (removeFails) throw new Error('storage unavailable');
        return keys.length;
      },
    } as unknown as ConsentEvidence;
    const transactions = { run: <T>(work: () => Promise<T>) => work(), afterCommit: async () => undefined } as unknown as Transactions;
    const clock = { now: () => new Date('2026-11-02T15:00:00Z') } as Clock;
    const ledger = new ConsentLedger(decisions, transactions, evidence, {} as AuditTrail, {} as JobQueue, clock, metrics, {} as ResearchExports);
    const record = () => ledger.record('learner-elisa', { purpose: 'images', decision: 'grant', reason: 'science fair photo by Elisa' }, 'platform');
    const failures = async () => (await metrics.registry.getSingleMetric('consent_evidence_cleanup_failures_total')!.get()).values[0]?.value ?? 0;
    return { record, removed, failures };
  };

  it('deletes the evidence object and rethrows the original error', async () => {
    const { record, removed, failures } = setup(false);
    await expect(record()).rejects.toThrow('database went away');
    expect(removed).toEqual([['e/abc/def.json']]);
    expect(await failures()).toBe(0);
  });

  it('never swallows a failed cleanup: logged by key without personal data, counted, original error rethrown', async () => {
    const logged: string[] = [];
    const spy = jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => void logged.push(String(message)));
    try {
      const { record, failures } = setup(true);
      await expect(record()).rejects.toThrow('database went away');
      expect(await failures()).toBe(1);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toContain('e/abc/def.json');
      expect(logged[0]).toContain('object reconciler');
      expect(logged[0]).not.toMatch(/elisa|science/i);
    } finally {
      spy.mockRestore();
    }
  });
});
