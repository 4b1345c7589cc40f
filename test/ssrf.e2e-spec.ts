import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { fakeDownloadToken, FakeZoomHost, randomMeetingUuid, recordingCompletedEvent, sendWebhook } from '@lib/zoom-simulator';
import { ServiceHarness, ZOOM_SECRET } from './support/harness';
import { QueueProbe } from './support/queues';
import { waitFor } from './support/wait';

/**
 * A download URL comes from a webhook body, so it is attacker-shaped until the guard says
 * otherwise. Each URL here points somewhere the service must never go: the file fails at once
 * with `download refused: …`, is never retried, and the decoys listening where a careless
 * client would land see nothing at all. (The non-loopback targets are refused before any
 * connection or DNS lookup; that is what keeps this suite's traffic on loopback.)
 */

interface Decoy {
  server: Server;
  connections: number;
  requests: string[];
}

describe('download guard against server-side request forgery', () => {
  let harness: ServiceHarness;
  let host: FakeZoomHost;
  let token: string;
  let decoyPort: number;
  const decoys: Decoy[] = [];

  beforeAll(async () => {
    host = new FakeZoomHost();
    await host.start();
    token = fakeDownloadToken();
    host.acceptToken(token);
    const first = await startDecoy('127.0.0.1', 0);
    decoys.push(first);
    decoyPort = (first.server.address() as AddressInfo).port;
    // Same port on a second loopback address, where a redirect tries to send us (when the
    // machine routes 127.0.0.0/8 to lo, as Linux does; else nothing listens there, also fine).
    await startDecoy('127.0.0.2', decoyPort).then((d) => decoys.push(d), () => undefined);
    harness = await ServiceHarness.start({
      env: {
        // zoom.us is allowed over https only.
        ZOOM_DOWNLOAD_HOSTS: [...host.allowListEntries(), 'zoom.us'].join(','),
      },
    });
  });

  afterAll(async () => {
    await harness?.stop();
    await host?.stop();
    await Promise.all(decoys.map((d) => new Promise((resolve) => d.server.close(resolve))));
  });

  const allowedPort = () => new URL(host.baseUrl).port;
  const redirecting = (to: string) => host.addFile({ content: Buffer.from('never served'), contentType: 'video/mp4', faults: { redirectTo: to } }).downloadUrl;

  const cases: Array<[string, () => string]> = [
    ['a loopback port that is not allow-listed', () => `http://127.0.0.1:${decoyPort}/x`],
    ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['a private 10.x address', () => 'http://10.1.2.3/file'],
    ['plain http to a host allowed only over https', () => 'http://zoom.us/rec/x'],
    ['localhost on the allowed port (localhost is not 127.0.0.1)', () => `http://localhost:${allowedPort()}/rec/download/x`],
    ['an allowed host reached through user info', () => `http://zoom:secret@127.0.0.1:${allowedPort()}/rec/download/x`],
    ['user info that disguises a decoy as the allowed host', () => `http://127.0.0.1:${allowedPort()}@127.0.0.1:${decoyPort}/x`],
    ['an IPv4-mapped IPv6 form of loopback', () => `http://[::ffff:127.0.0.1]:${decoyPort}/x`],
    ['an allowed download host redirecting to a second loopback address', () => redirecting(`http://127.0.0.2:${decoyPort}/steal`)],
    ['an allowed download host redirecting to a private 10.x address', () => redirecting('http://10.0.0.7/')],
  ];

  it.each(cases)('refuses %s at once, never retries it, and never connects', async (_what, url) => {
    const target = url();
    await expectRefusedForGood(harness, target);
    if (target.startsWith(`${host.baseUrl}/`)) {
      // The redirect really was answered (once), and its target was never followed.
      expect(host.requests.filter((r) => r.path === new URL(target).pathname)).toHaveLength(1);
    }
    expect(host.requests.filter((r) => r.server === 'storage')).toEqual([]);
  });

  describe('with an allow-listed https name that resolves to loopback', () => {
    let named: ServiceHarness;

    beforeAll(async () => {
      // The name passes the allow-list; only the address guard, after the (local, /etc/hosts)
      // lookup, stands between it and the decoy.
      named = await ServiceHarness.start({ env: { ZOOM_DOWNLOAD_HOSTS: `localhost:${decoyPort}` } });
    });

    afterAll(async () => {
      await named?.stop();
    });

    it('refuses the resolved loopback address before connecting', async () => {
      const artifact = await expectRefusedForGood(named, `https://localhost:${decoyPort}/x`);
      expect(artifact.reason).toMatch(/loopback|not a public address/);
    });
  });

  async function expectRefusedForGood(service: ServiceHarness, url: string) {
    const event = recordingCompletedEvent({
      uuid: randomMeetingUuid(),
      downloadToken: token,
      files: [{ id: randomUUID(), fileType: 'MP4', fileExtension: 'MP4', recordingType: 'speaker_view', downloadUrl: url, size: 1024 }],
    });
    const uuid = event.payload.object.uuid;
    const sentAt = Date.now();
    const answer = await sendWebhook(`${service.baseUrl}/webhooks/zoom`, ZOOM_SECRET, event);
    expect(answer.status).toBe(200);

    const artifact = await waitFor(
      async () => {
        const [a] = await artifactsOf(service, uuid);
        return a && a.status !== 'pending' ? a : null;
      },
      'the artifact to settle',
      5_000,
    );
    expect(Date.now() - sentAt).toBeLessThan(5_000);
    expect(artifact.status).toBe('failed');
    expect(artifact.reason).toMatch(/^download refused: /);
    // A retry would wait in the queue (200 ms backoff here): once every queue is idle, none is coming.
    const queues = QueueProbe.open(service);
    try {
      await waitFor(() => queues.idle(), 'every queue idle', 10_000);
    } finally {
      await queues.close();
    }
    const [again] = await artifactsOf(service, uuid);
    expect(again).toMatchObject({ status: 'failed', attempts: 1 });
    expect(decoys.map((d) => ({ connections: d.connections, requests: d.requests }))).toEqual(decoys.map(() => ({ connections: 0, requests: [] })));
    return again;
  }
});

async function artifactsOf(service: ServiceHarness, uuid: string) {
  return service.query<{ status: string; reason: string | null; attempts: number }>(
    `SELECT a.status, a.reason, a.attempts FROM artifacts a JOIN recordings r ON r.id = a.recording_id WHERE r.zoom_meeting_uuid = $1`,
    [uuid],
  );
}

function startDecoy(address: string, port: number): Promise<Decoy> {
  return new Promise((resolve, reject) => {
    const decoy: Decoy = { server: undefined as unknown as Server, connections: 0, requests: [] };
    decoy.server = createServer((req, res) => {
      decoy.requests.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'video/mp4' }).end('stolen');
    });
    decoy.server.on('connection', () => (decoy.connections += 1));
    decoy.server.once('error', reject);
    decoy.server.listen(port, address, () => resolve(decoy));
  });
}
