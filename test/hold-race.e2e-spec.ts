import { S3Client } from '@aws-sdk/client-s3';
import { Client } from 'pg';
import { FixedClock } from '@lib/clock';
import { ArtifactDeletion, DeletionOutcome } from '@lib/retention';
import { call } from './support/api-client';
import { seedExpiredArtifacts } from './support/builders';
import { objectExists, s3Of } from './support/bucket';
import { ServiceHarness } from './support/harness';
import { waitFor } from './support/wait';

/**
 * Issue 11 A.1: a 201 for a hold means nothing it covers is deleted afterwards, however a deletion
 * batch that is already running is timed against it. The batch and the placement serialise on the
 * hold lock (docs/retention.md, "Holds and running deletions").
 */
describe('a hold placed while a deletion batch runs', () => {
  const clock = new FixedClock(new Date());
  let harness: ServiceHarness;
  let s3: S3Client;

  beforeAll(async () => {
    // API only: no worker sweep races the deletions this suite times by hand.
    harness = await ServiceHarness.start({ clock, runMode: 'api' });
    s3 = s3Of(harness);
  });

  afterAll(async () => {
    s3?.destroy();
    await harness?.stop();
  });

  async function expiredArtifact(): Promise<{ id: string; key: string; recordingId: string }> {
    const [seeded] = await seedExpiredArtifacts(harness, s3, { recordings: 1, perRecording: 1 });
    const [row] = await harness.query<{ recording_id: string }>('SELECT recording_id FROM artifacts WHERE id = $1', [seeded.id]);
    return { ...seeded, recordingId: row.recording_id };
  }

  const placeHold = (recordingId: string) =>
    call(harness, 'POST', '/v1/holds', { roles: ['safety'], sub: 'safety-amir', json: { scope: 'recording', targetId: recordingId, reason: 'legal' } });

  /** Backends of this suite's database waiting for a lock of that kind (`transactionid`, `advisory`). */
  const waiting = async (kind: string) =>
    (await harness.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = $1`,
      [kind],
    ))[0].n > 0;

  const statusOf = async (id: string) => (await harness.query<{ status: string }>('SELECT status FROM artifacts WHERE id = $1', [id]))[0].status;

  it('keeps an artifact whose hold was answered 201 while the batch waited for its row lock', async () => {
    const artifact = await expiredArtifact();
    const rowHolder = new Client({ connectionString: harness.databaseUrl });
    await rowHolder.connect();
    try {
      await rowHolder.query('BEGIN');
      await rowHolder.query('SELECT id FROM artifacts WHERE id = $1 FOR UPDATE', [artifact.id]);

      const batch = harness.app!.get(ArtifactDeletion).deleteArtifacts([artifact.id]);
      await waitFor(() => waiting('transactionid'), 'the deletion batch to wait for the row lock');

      const hold = await placeHold(artifact.recordingId);
      expect(hold.status).toBe(201);

      await rowHolder.query('COMMIT');
      const outcomes = await batch;
      expect(outcomes.get(artifact.id)).toBe<DeletionOutcome>('held');
    } finally {
      await rowHolder.end();
    }
    expect(await statusOf(artifact.id)).toBe('stored');
    expect(await objectExists(s3, artifact.key)).toBe(true);
  });

  it('answers a hold placed while the batch deletes objects only after that batch committed', async () => {
    const artifact = await expiredArtifact();
    // The embedded S3 server holds the batch's DeleteObjects call until the gate opens: the batch
    // has read coverage and is in its storage call.
    const store = (harness.s3 as unknown as { server: { store: { deleteObject(bucket: string, key: string): Promise<void> } } }).server.store;
    const original = store.deleteObject.bind(store);
    let reached!: () => void;
    const inStorageCall = new Promise<void>((resolve) => (reached = resolve));
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    store.deleteObject = async (bucket: string, key: string) => {
      reached();
      await gate;
      return original(bucket, key);
    };
    let batchDone = false;
    const batch = harness.app!.get(ArtifactDeletion).deleteArtifacts([artifact.id]).finally(() => (batchDone = true));
    try {
      await inStorageCall;

      let answeredWhileBatchRan: boolean | null = null;
      const placing = placeHold(artifact.recordingId).then((answer) => {
        answeredWhileBatchRan = !batchDone;
        return answer;
      });
      const first = await Promise.race([placing.then(() => 'answered'), waitFor(() => waiting('advisory'), 'the hold to wait for the batch').then(() => 'waiting')]);
      expect(first).toBe('waiting');

      open();
      expect((await batch).get(artifact.id)).toBe<DeletionOutcome>('deleted');
      expect((await placing).status).toBe(201);
      expect(answeredWhileBatchRan).toBe(false);
    } finally {
      open();
      await batch.catch(() => undefined);
      store.deleteObject = original;
    }
    // The deletion came first and is complete; the hold covers what arrives from now on.
    expect(await statusOf(artifact.id)).toBe('deleted');
    expect(await objectExists(s3, artifact.key)).toBe(false);
  });
});
