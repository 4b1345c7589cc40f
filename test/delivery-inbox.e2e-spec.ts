import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fakeDownloadToken, FakeZoomHost, FileFaults, randomMeetingUuid, recordingCompletedEvent, sendWebhook } from '@lib/zoom-simulator';
import { ServiceHarness, ZOOM_SECRET } from './support/harness';
import { MovableClock } from './support/movable-clock';
import { QueueProbe } from './support/queues';
import { refuseMeetingsOn } from './support/refused-meetings';
import { waitFor } from './support/wait';

/**
 * What the webhook inbox keeps (issue 11 A.4) and how a delivery that failed is processed again
 * (A.6): the download token lives only as long as a file still needs it, a processed delivery
 * keeps no body, and a failed delivery is re-driven, or re-armed by a fresh one, never stuck.
 */


describe('the webhook inbox', () => {
  const host = new FakeZoomHost();
  const clock = new MovableClock();
  let harness: ServiceHarness;
  let dir: string;
  let transcript: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'inbox-'));
    transcript = path.join(dir, 'transcript.vtt');
    writeFileSync(transcript, 'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nMs Rivera: hello\n');
    await host.start();
    harness = await ServiceHarness.start({ clock, env: { ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(',') } });
    // A way to make processing fail for chosen meetings: the recording insert is refused.
    await refuseMeetingsOn(harness, 'recordings');
  });

  afterAll(async () => {
    await harness?.stop();
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** One transcript file of a meeting instance, as Zoom would announce it with this token. */
  function transcriptDelivery(opts: { uuid: string; fileId: string; token: string; faults?: FileFaults }) {
    host.acceptToken(opts.token);
    const served = host.addFile({ path: transcript, contentType: 'text/vtt', faults: opts.faults });
    return recordingCompletedEvent({
      uuid: opts.uuid,
      downloadToken: opts.token,
      hostEmail: 'ms.rivera@tutoring.example',
      topic: 'Maths with Elisa',
      files: [{ id: opts.fileId, fileType: 'TRANSCRIPT', fileExtension: 'VTT', recordingType: 'audio_transcript', downloadUrl: served.downloadUrl, size: served.size }],
    });
  }

  // Signed at the service's time (the clock may have been moved), as Zoom's own clock would be.
  const deliver = async (body: object) => {
    const answer = await sendWebhook(`${harness.baseUrl}/webhooks/zoom`, ZOOM_SECRET, body, { timestampSeconds: Math.floor(clock.now().getTime() / 1000) });
    expect(answer.status).toBe(200);
  };
  const delivery = async (uuid: string) =>
    (await harness.query<{ status: string; body: unknown; next_attempt_at: Date | null; gave_up_at: Date | null; generation: number; redrives: number }>(
      'SELECT status, body, next_attempt_at, gave_up_at, generation, redrives FROM webhook_deliveries WHERE zoom_meeting_uuid = $1',
      [uuid],
    ))[0];
  const recording = async (uuid: string) =>
    (await harness.query<{ id: string; status: string; download_token: string | null }>(
      'SELECT id, status, download_token FROM recordings WHERE zoom_meeting_uuid = $1',
      [uuid],
    ))[0];
  const artifacts = (uuid: string) =>
    harness.query<{ status: string }>('SELECT a.status FROM artifacts a JOIN recordings r ON r.id = a.recording_id WHERE r.zoom_meeting_uuid = $1', [uuid]);

  /** Tables whose rows, read as text, contain the string. */
  async function tablesHolding(secret: string): Promise<string[]> {
    const tables = await harness.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const holding: string[] = [];
    for (const { table_name } of tables) {
      const [hit] = await harness.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}" t WHERE t::text LIKE '%' || $1 || '%'`, [secret]);
      if (hit.n > 0) holding.push(table_name);
    }
    return holding;
  }

  async function metric(event: string): Promise<number> {
    const text = await (await fetch(`${harness.baseUrl}/metrics`)).text();
    return Number(new RegExp(`zoom_delivery_redrive_total\\{event="${event}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  }

  it('keeps no download token anywhere and no body once the delivery is processed and its files archived', async () => {
    const uuid = randomMeetingUuid();
    const token = fakeDownloadToken();
    await deliver(transcriptDelivery({ uuid, fileId: randomUUID(), token }));

    await waitFor(async () => (await recording(uuid))?.status === 'archived' && (await delivery(uuid))?.status === 'processed', 'archived and processed');
    const row = await delivery(uuid);
    expect(row.body).toBeNull();
    expect(await harness.query('SELECT id FROM webhook_deliveries WHERE zoom_meeting_uuid = $1 AND body_sha256 IS NOT NULL', [uuid])).toHaveLength(1);
    expect((await recording(uuid)).download_token).toBeNull();
    expect(await tablesHolding(token)).toEqual([]);
    expect(await tablesHolding('ms.rivera@tutoring.example')).toEqual([]);
  });

  it('clears the token of a recording whose files all settle, failed ones included, and re-arms the failed file when a delivery brings a fresh token', async () => {
    const uuid = randomMeetingUuid();
    const fileId = randomUUID();
    const first = fakeDownloadToken();
    await deliver(transcriptDelivery({ uuid, fileId, token: first, faults: { htmlErrorPage: true } }));

    await waitFor(async () => (await recording(uuid))?.status === 'incomplete', 'the recording to settle incomplete');
    expect((await recording(uuid)).download_token).toBeNull();
    expect(await tablesHolding(first)).toEqual([]);

    const fresh = fakeDownloadToken();
    await deliver(transcriptDelivery({ uuid, fileId, token: fresh }));
    await waitFor(async () => (await recording(uuid))?.status === 'archived', 'the re-armed file to be stored');
    expect(await artifacts(uuid)).toEqual([{ status: 'stored' }]);
    expect((await recording(uuid)).download_token).toBeNull();
    expect(await tablesHolding(fresh)).toEqual([]);
  });

  it('processes a later delivery with a fresh token after the first one failed for good', async () => {
    const uuid = randomMeetingUuid();
    const fileId = randomUUID();
    await harness.query('INSERT INTO refused_meetings (uuid) VALUES ($1)', [uuid]);
    await deliver(transcriptDelivery({ uuid, fileId, token: fakeDownloadToken() }));
    await waitFor(async () => (await delivery(uuid))?.status === 'failed', 'the delivery to fail for good', 30_000);

    await harness.query('DELETE FROM refused_meetings WHERE uuid = $1', [uuid]);
    await deliver(transcriptDelivery({ uuid, fileId, token: fakeDownloadToken() }));
    await waitFor(async () => (await delivery(uuid))?.status === 'processed', 'the fresh delivery to be processed', 20_000);
    await waitFor(async () => (await recording(uuid))?.status === 'archived', 'its file to be stored');
  });

  it('processes a delivery again whose job failed for good while its failure could not be recorded', async () => {
    const uuid = randomMeetingUuid();
    await harness.query('INSERT INTO refused_meetings (uuid) VALUES ($1)', [uuid]);
    // Recording the failure fails too (as when the database is down at that moment): the row stays
    // `received` while its job lies failed in Redis under the row's job id.
    await harness.query(`CREATE FUNCTION refuse_failed_mark() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'failed' AND NEW.zoom_meeting_uuid = '${uuid}' THEN RAISE EXCEPTION 'cannot record the failure'; END IF;
        RETURN NEW;
      END $$`);
    await harness.query(`CREATE TRIGGER refuse_failed_mark BEFORE UPDATE ON webhook_deliveries FOR EACH ROW EXECUTE FUNCTION refuse_failed_mark()`);
    try {
      await deliver(transcriptDelivery({ uuid, fileId: randomUUID(), token: fakeDownloadToken() }));
      const [{ id }] = await harness.query<{ id: string }>('SELECT id FROM webhook_deliveries WHERE zoom_meeting_uuid = $1', [uuid]);
      const jobs = QueueProbe.open(harness, ['ingest']);
      try {
        await waitFor(async () => (await jobs.state('ingest', `delivery-${id}-g0`)) === 'failed', 'the job to fail for good', 30_000);
      } finally {
        await jobs.close();
      }
      expect((await delivery(uuid)).status).toBe('received');
    } finally {
      await harness.query('DROP TRIGGER refuse_failed_mark ON webhook_deliveries');
      await harness.query('DELETE FROM refused_meetings WHERE uuid = $1', [uuid]);
    }
    // The relay finds the row still waiting under a job that failed, re-arms it and queues it anew.
    await waitFor(async () => (await delivery(uuid))?.status === 'processed', 'the delivery to be processed after all', 20_000);
    expect((await delivery(uuid)).generation).toBe(1);
  });

  it('re-drives a failed delivery with backoff until it succeeds, and counts the failure and the re-drive', async () => {
    const uuid = randomMeetingUuid();
    const [failedBefore, redrivenBefore] = [await metric('failed'), await metric('redriven')];
    await harness.query('INSERT INTO refused_meetings (uuid) VALUES ($1)', [uuid]);
    await deliver(transcriptDelivery({ uuid, fileId: randomUUID(), token: fakeDownloadToken() }));
    const failed = await waitFor(async () => {
      const row = await delivery(uuid);
      return row?.status === 'failed' ? row : null;
    }, 'the delivery to fail for good', 30_000);
    expect(failed.next_attempt_at).not.toBeNull();
    expect(failed.next_attempt_at!.getTime()).toBeGreaterThan(clock.now().getTime() + 60_000);
    expect(await metric('failed')).toBe(failedBefore + 1);

    await harness.query('DELETE FROM refused_meetings WHERE uuid = $1', [uuid]);
    clock.advance(failed.next_attempt_at!.getTime() - clock.now().getTime() + 1000);
    await waitFor(async () => (await delivery(uuid))?.status === 'processed', 'the re-driven delivery to be processed', 20_000);
    expect(await delivery(uuid)).toMatchObject({ redrives: 1, body: null });
    expect(await metric('redriven')).toBe(redrivenBefore + 1);
  });

  // Last: it moves the clock a long way.
  it('gives up on a delivery that keeps failing after its last re-drive, and counts it', async () => {
    const uuid = randomMeetingUuid();
    const givenUpBefore = await metric('given_up');
    await harness.query('INSERT INTO refused_meetings (uuid) VALUES ($1)', [uuid]);
    await deliver(transcriptDelivery({ uuid, fileId: randomUUID(), token: fakeDownloadToken() }));
    const gaveUp = await waitFor(
      async () => {
        const row = await delivery(uuid);
        if (row?.gave_up_at) return row;
        if (row?.status === 'failed' && row.next_attempt_at) clock.advance(row.next_attempt_at.getTime() - clock.now().getTime() + 1000);
        return null;
      },
      'the delivery to be given up',
      90_000,
      250,
    );
    expect(gaveUp).toMatchObject({ status: 'failed', next_attempt_at: null });
    expect(gaveUp.redrives).toBeGreaterThan(1);
    expect(await metric('given_up')).toBe(givenUpBefore + 1);
  });
});
