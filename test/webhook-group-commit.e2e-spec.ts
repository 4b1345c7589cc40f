import { fakeDownloadToken, randomMeetingUuid, recordingCompletedEvent, sendWebhook } from '@lib/zoom-simulator';
import { ServiceHarness, ZOOM_SECRET } from './support/harness';
import { secureJson } from './support/json-parser-spy';
import { MovableClock } from './support/movable-clock';
import { QueueProbe } from './support/queues';
import { refuseMeetingsOn } from './support/refused-meetings';



/**
 * The webhook's group commit (issue 15, "webhook at the limit"): deliveries arriving together are
 * written in one statement and queued in one round trip, and each is answered only once its own
 * row is durable. A window of 25 ms makes the grouping of a concurrent burst certain here.
 */
describe('webhook deliveries stored by group commit', () => {
  let harness: ServiceHarness;
  let queues: QueueProbe;
  const clock = new MovableClock();

  beforeAll(async () => {
    harness = await ServiceHarness.start({ runMode: 'api', clock, env: { WEBHOOK_GROUP_COMMIT_MS: '25', WEBHOOK_REPEAT_MEMORY_SECONDS: '60' } });
    queues = QueueProbe.open(harness, ['ingest']);
    // A way to make one group's statement fail: the inbox refuses chosen meetings.
    await refuseMeetingsOn(harness, 'webhook_deliveries');
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await queues?.close();
    await harness?.stop();
  });

  const url = () => `${harness.baseUrl}/webhooks/zoom`;
  // Signed at the service's time (the clock may have been moved), as Zoom's own clock would be.
  const send = (body: object) => sendWebhook(url(), ZOOM_SECRET, body, { timestampSeconds: Math.floor(clock.now().getTime() / 1000) });
  const event = (uuid: string, token = fakeDownloadToken()) =>
    recordingCompletedEvent({
      uuid,
      downloadToken: token,
      files: [{ id: `file-${uuid}`, fileType: 'TRANSCRIPT', fileExtension: 'VTT', recordingType: 'audio_transcript', downloadUrl: 'https://zoom.example/rec/download/t', size: 100 }],
    });
  const rows = (uuids: string[]) =>
    harness.query<{ zoom_meeting_uuid: string; id: string; status: string; generation: number; delivery_count: number; download_token: string }>(
      'SELECT zoom_meeting_uuid, id, status, generation, delivery_count, download_token FROM webhook_deliveries WHERE zoom_meeting_uuid = ANY($1)',
      [uuids],
    );
  async function groupCommits(): Promise<{ count: number; sum: number }> {
    const text = await (await fetch(`${harness.baseUrl}/metrics`)).text();
    const read = (name: string) => Number(new RegExp(`^webhook_group_commit_deliveries_${name} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return { count: read('count'), sum: read('sum') };
  }

  it('writes a burst of concurrent deliveries in fewer statements than deliveries, each row stored before its answer and queued once', async () => {
    const before = await groupCommits();
    const uuids = Array.from({ length: 40 }, () => randomMeetingUuid());
    // Answered only once durable: each row is looked up as soon as its 200 arrives (one lookup at a
    // time on the suite's one connection), and it is there.
    let lookups: Promise<unknown> = Promise.resolve();
    const lookUp = (uuid: string) => {
      const row = lookups.then(() => rows([uuid])).then(([found]) => found);
      lookups = row;
      return row;
    };
    const answers = await Promise.all(
      uuids.map(async (uuid) => {
        const answer = await send(event(uuid));
        return { answer, row: await lookUp(uuid) };
      }),
    );
    for (const { answer, row } of answers) {
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ status: 'accepted' });
      expect(row?.status).toBe('received');
    }
    const after = await groupCommits();
    expect(after.sum - before.sum).toBe(40);
    expect(after.count - before.count).toBeLessThan(40);
    for (const { row } of answers) expect(await queues.state('ingest', `delivery-${row.id}-g${row.generation}`)).toBe('waiting');
  });

  it('answers copies of one meeting in one group as if they had arrived in turn: identical repeats are duplicates, a fresh token re-arms the row', async () => {
    const uuid = randomMeetingUuid();
    const first = event(uuid, 'token-one');
    const fresh = event(uuid, 'token-two');
    fresh.payload.object.start_time = first.payload.object.start_time;
    fresh.payload.object.recording_files = first.payload.object.recording_files;
    const before = await groupCommits();
    const answers = await Promise.all([first, first, fresh, fresh].map((body) => send(body)));
    const after = await groupCommits();
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const outcomes = answers.map((a) => (JSON.parse(a.body) as { status: string }).status).sort();
    expect(outcomes).toEqual(['accepted', 'duplicate', 'duplicate', 'duplicate']);
    // All four went in one group (the statement was split into rounds inside it).
    expect(after.count - before.count).toBe(1);
    const [row] = await rows([uuid]);
    expect(row.download_token).toBe('token-two');
    expect(row.delivery_count).toBe(2);
    expect(row.generation).toBe(1);
    expect(await queues.state('ingest', `delivery-${row.id}-g1`)).toBe('waiting');
  });

  it('fails only the delivery the database refuses when its group cannot be stored together, and stores it when Zoom retries', async () => {
    const uuids = Array.from({ length: 5 }, () => randomMeetingUuid());
    const bodies = uuids.map((uuid) => event(uuid));
    await harness.query('INSERT INTO refused_meetings (uuid) VALUES ($1)', [uuids[2]]);
    const before = await groupCommits();
    const answers = await Promise.all(bodies.map((body) => send(body)));
    expect((await groupCommits()).count - before.count).toBe(1);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 500, 200, 200]);
    expect(JSON.parse(answers[2].body)).toEqual({ statusCode: 500, message: 'internal error' });
    const stored = await rows(uuids);
    expect(stored.map((r) => r.zoom_meeting_uuid).sort()).toEqual([uuids[0], uuids[1], uuids[3], uuids[4]].sort());

    await harness.query('DELETE FROM refused_meetings');
    const retried = await send(bodies[2]);
    expect(JSON.parse(retried.body)).toEqual({ status: 'accepted' });
    expect((await rows([uuids[2]])).map((r) => r.status)).toEqual(['received']);
  });

  it('answers a byte-identical repeat of a stored delivery as a duplicate without parsing it or writing, and the database answers the same once the memory lapses', async () => {
    const uuid = randomMeetingUuid();
    const body = event(uuid);
    expect(JSON.parse((await send(body)).body)).toEqual({ status: 'accepted' });

    const parse = jest.spyOn(secureJson, 'parse');
    const before = await groupCommits();
    const repeat = await send(body);
    expect(JSON.parse(repeat.body)).toEqual({ status: 'duplicate' });
    expect(parse).not.toHaveBeenCalled();
    expect((await groupCommits()).count).toBe(before.count);

    clock.advance(61_000);
    const later = await send(body);
    expect(JSON.parse(later.body)).toEqual({ status: 'duplicate' });
    expect(parse).toHaveBeenCalledTimes(1);
    expect((await groupCommits()).count).toBe(before.count + 1);
    parse.mockRestore();
    const [row] = await rows([uuid]);
    expect(row.delivery_count).toBe(1);
    expect(row.generation).toBe(0);
  });

  it('does not take a delivery with a fresh download token for a repeat: it re-arms the row', async () => {
    const uuid = randomMeetingUuid();
    const first = event(uuid, 'token-first');
    expect(JSON.parse((await send(first)).body)).toEqual({ status: 'accepted' });
    const fresh = { ...first, download_token: 'token-fresh' };
    expect(JSON.parse((await send(fresh)).body)).toEqual({ status: 'duplicate' });
    const [row] = await rows([uuid]);
    expect(row.download_token).toBe('token-fresh');
    expect(row.generation).toBe(1);
  });
});
