import type { AppConfig } from '@lib/config';
import { DeliveryBatches } from './delivery-batches';
import type { DeliveryJob, DeliveryOutcome, RecordingIngest } from './recording-ingest.service';

/** A stand-in for the ingest service that records each batch and lets the test decide when it ends. */
class BatchRecorder {
  readonly batches: string[][] = [];
  private readonly finishers: Array<() => void> = [];
  failing = new Set<string>();

  processDeliveries = (jobs: readonly DeliveryJob[]): Promise<DeliveryOutcome[]> => {
    this.batches.push(jobs.map((j) => j.deliveryId));
    return new Promise((resolve) =>
      this.finishers.push(() => resolve(jobs.map((j) => (this.failing.has(j.deliveryId) ? new Error(`refused ${j.deliveryId}`) : null)))),
    );
  };

  /** Ends the oldest batch still running. */
  finish(): void {
    this.finishers.shift()?.();
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const job = (id: string): DeliveryJob => ({ deliveryId: id, generation: 1 });

function batchesWith(max: number): { batches: DeliveryBatches; ingest: BatchRecorder } {
  const ingest = new BatchRecorder();
  const config = { archive: { deliveryBatchMax: max } } as unknown as AppConfig;
  return { batches: new DeliveryBatches(config, ingest as unknown as RecordingIngest), ingest };
}

describe('DeliveryBatches (which process-delivery jobs a worker ingests together)', () => {
  it('ingests the jobs of one turn of the event loop as one batch', async () => {
    const { batches, ingest } = batchesWith(10);
    const done = ['a', 'b', 'c'].map((id) => batches.process(job(id)));
    await turn();
    expect(ingest.batches).toEqual([['a', 'b', 'c']]);
    ingest.finish();
    await Promise.all(done);
  });

  it('runs one batch at a time: jobs arriving meanwhile wait and make up the next batch', async () => {
    const { batches, ingest } = batchesWith(10);
    const first = batches.process(job('a'));
    await turn();
    const later = ['b', 'c'].map((id) => batches.process(job(id)));
    await turn();
    await turn();
    expect(ingest.batches).toEqual([['a']]);
    ingest.finish();
    await first;
    await turn();
    expect(ingest.batches).toEqual([['a'], ['b', 'c']]);
    ingest.finish();
    await Promise.all(later);
  });

  it('never puts more than INGEST_BATCH_MAX jobs in a batch', async () => {
    const { batches, ingest } = batchesWith(2);
    const done = ['a', 'b', 'c', 'd', 'e'].map((id) => batches.process(job(id)));
    await turn();
    for (let i = 0; i < 3; i += 1) {
      ingest.finish();
      await turn();
      await turn();
    }
    await Promise.all(done);
    expect(ingest.batches).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('ingests a job on a retry alone, at once, beside the batch being ingested', async () => {
    const { batches, ingest } = batchesWith(10);
    const first = ['a', 'b'].map((id) => batches.process(job(id)));
    await turn();
    const retried = batches.process(job('r'), 1);
    const fresh = batches.process(job('c'));
    await turn();
    expect(ingest.batches).toEqual([['a', 'b'], ['r']]);
    ingest.finish();
    ingest.finish();
    await Promise.all([...first, retried]);
    await turn();
    expect(ingest.batches).toEqual([['a', 'b'], ['r'], ['c']]);
    ingest.finish();
    await fresh;
  });

  it('with INGEST_BATCH_MAX=1 ingests each job on its own, all at once (the path before batching)', async () => {
    const { batches, ingest } = batchesWith(1);
    ingest.failing.add('b');
    const done = ['a', 'b', 'c'].map((id) => batches.process(job(id)).then(() => 'ok', (e: Error) => e.message));
    await turn();
    expect(ingest.batches).toEqual([['a'], ['b'], ['c']]);
    for (let i = 0; i < 3; i += 1) ingest.finish();
    expect(await Promise.all(done)).toEqual(['ok', 'refused b', 'ok']);
  });

  it("fails only the job whose delivery failed; the others of its batch succeed", async () => {
    const { batches, ingest } = batchesWith(10);
    ingest.failing.add('b');
    const done = ['a', 'b', 'c'].map((id) => batches.process(job(id)).then(() => 'ok', (e: Error) => e.message));
    await turn();
    ingest.finish();
    expect(await Promise.all(done)).toEqual(['ok', 'refused b', 'ok']);
  });

  it('fails every job of a batch the ingest service could not start, and goes on with the next batch', async () => {
    const { batches, ingest } = batchesWith(10);
    let calls = 0;
    const real = ingest.processDeliveries;
    ingest.processDeliveries = (jobs) => (++calls === 1 ? Promise.reject(new Error('database unreachable')) : real(jobs));
    const first = ['a', 'b'].map((id) => batches.process(job(id)).then(() => 'ok', (e: Error) => e.message));
    await turn();
    expect(await Promise.all(first)).toEqual(['database unreachable', 'database unreachable']);
    const next = batches.process(job('c'));
    await turn();
    ingest.finish();
    await expect(next).resolves.toBeUndefined();
    expect(ingest.batches).toEqual([['c']]);
  });
});
