import { randomUUID } from 'node:crypto';
import {
  ApiRequest,
  cloudChangeEvent,
  fakeDownloadToken,
  FakeZoomApi,
  FakeZoomHost,
  FileFaults,
  randomMeetingUuid,
  recordingCompletedEvent,
} from '@lib/zoom-simulator';
import { call } from './support/api-client';
import { sendDelivery as deliver, zoomApiEnv, zoomHostEnv, zoomPathSegment } from './support/builders';
import { ServiceHarness } from './support/harness';
import { QueueProbe } from './support/queues';
import { auditOf, recordingIdOf, settledArtifacts } from './support/rows';
import { waitFor } from './support/wait';

/**
 * Zoom's cloud copy goes only after we hold a verified copy of every file (ZOOM_CLOUD_COPY), and
 * the webhook that change causes is told apart from someone else's change to it.
 */

const TRANSCRIPT = Buffer.from('WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nMs Rivera: Shall we start with fractions?\n');
const CHAT = Buffer.from('00:00:05\tElisa L:\tok\n');
const TIMELINE = Buffer.from(JSON.stringify({ timeline: [{ ts: '00:00:01.000', users: [{ username: 'Ms Rivera' }] }] }));

describe("removing Zoom's cloud copy", () => {
  let host: FakeZoomHost;
  let api: FakeZoomApi;

  beforeAll(async () => {
    host = new FakeZoomHost();
    await host.start();
    api = new FakeZoomApi({ downloadHost: host });
    await api.start();
  });

  afterAll(async () => {
    await api?.stop();
    await host?.stop();
  });

  /** A small recording (transcript, chat, timeline) served by the fake host and known to the fake API. */
  function recording(uuid: string, faults: { chat?: FileFaults } = {}) {
    const token = fakeDownloadToken();
    host.acceptToken(token);
    const serve = (content: Buffer, contentType: string, f?: FileFaults) => host.addFile({ content, contentType, faults: f });
    const transcript = serve(TRANSCRIPT, 'text/vtt');
    const chat = serve(CHAT, 'text/plain', faults.chat);
    const timeline = serve(TIMELINE, 'application/json');
    const event = recordingCompletedEvent({
      uuid,
      downloadToken: token,
      files: [
        { id: randomUUID(), fileType: 'TRANSCRIPT', fileExtension: 'VTT', recordingType: 'audio_transcript', downloadUrl: transcript.downloadUrl, size: transcript.size },
        { id: randomUUID(), fileType: 'CHAT', fileExtension: 'TXT', recordingType: 'chat_file', downloadUrl: chat.downloadUrl, size: chat.size },
        { fileType: 'TIMELINE', fileExtension: 'JSON', downloadUrl: timeline.downloadUrl },
      ],
    });
    api.setRecording(uuid, event.payload.object, token);
    return event;
  }

  const deletesOf = (uuid: string): ApiRequest[] =>
    api.requests.filter((r) => r.method === 'DELETE' && r.rawPath.startsWith(`/v2/meetings/${zoomPathSegment(uuid)}/recordings`));

  describe('with ZOOM_CLOUD_COPY=trash', () => {
    let harness: ServiceHarness;
    let queues: QueueProbe;

    beforeAll(async () => {
      harness = await ServiceHarness.start({ env: { ...zoomHostEnv(host), ...zoomApiEnv(api), ZOOM_CLOUD_COPY: 'trash' } });
      queues = QueueProbe.open(harness);
    });

    afterAll(async () => {
      await queues?.close();
      await harness?.stop();
    });

    it('trashes the cloud copy once, after every file is stored, double-encoding a uuid that starts with a slash', async () => {
      const uuid = '/abc//def==';
      await deliver(harness, recording(uuid));
      const artifacts = await settledArtifacts(harness, uuid, 3);
      expect(artifacts.map((a) => a.status)).toEqual(['stored', 'stored', 'stored']);

      const [trash] = await waitFor(async () => (deletesOf(uuid).length > 0 ? deletesOf(uuid) : null), 'the DELETE call', 10_000);
      expect(trash.rawPath).toBe('/v2/meetings/%252Fabc%252F%252Fdef%253D%253D/recordings?action=trash');
      expect(trash.status).toBe(204);
      expect(trash.hadAuthorization).toBe(true);
      const lastStored = Math.max(...artifacts.map((a) => a.stored_at!.getTime()));
      expect(trash.at).toBeGreaterThanOrEqual(lastStored);
      expect(api.cloudState(uuid)).toBe('trashed');

      await everyJobDone(queues);
      expect(deletesOf(uuid)).toHaveLength(1);
    });

    it('recognises the recording.trashed webhook its own call causes as ours', async () => {
      const uuid = randomMeetingUuid();
      await deliver(harness, recording(uuid));
      await settledArtifacts(harness, uuid, 3);
      await waitFor(async () => deletesOf(uuid).length > 0, 'the trash call', 10_000);
      const recordingId = await recordingIdOf(harness, uuid);
      await deliver(harness, cloudChangeEvent('recording.trashed', uuid, 'archiver-operator-id'));

      const view = await waitFor(
        async () => {
          const v = await getRecording(harness, recordingId);
          return v.zoomCloudState === 'trashed' ? v : null;
        },
        'zoomCloudState trashed',
        10_000,
      );
      expect(view.artifacts.every((a) => a.status === 'stored')).toBe(true);
      const audit = await auditOf(harness, recordingId, 'zoom.cloud_copy_trashed');
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor_id: 'recording-service', details: { ours: true } });
      expect(await auditActionsViaApi(harness, recordingId)).toContain('zoom.cloud_copy_trashed');
    });

    it('leaves the cloud copy alone when one file of the recording failed', async () => {
      const uuid = randomMeetingUuid();
      await deliver(harness, recording(uuid, { chat: { htmlErrorPage: true } }));
      const artifacts = await settledArtifacts(harness, uuid, 3);
      expect(artifacts.map((a) => a.status).sort()).toEqual(['failed', 'stored', 'stored']);

      await everyJobDone(queues);
      expect(deletesOf(uuid)).toEqual([]);
      expect(api.cloudState(uuid)).toBe('active');
    });
  });

  describe('with ZOOM_CLOUD_COPY=keep (the default)', () => {
    let harness: ServiceHarness;
    let queues: QueueProbe;

    beforeAll(async () => {
      harness = await ServiceHarness.start({ env: { ...zoomHostEnv(host), ...zoomApiEnv(api) } });
      queues = QueueProbe.open(harness);
    });

    afterAll(async () => {
      await queues?.close();
      await harness?.stop();
    });

    it('never asks Zoom to remove the cloud copy', async () => {
      const uuid = randomMeetingUuid();
      await deliver(harness, recording(uuid));
      const artifacts = await settledArtifacts(harness, uuid, 3);
      expect(artifacts.map((a) => a.status)).toEqual(['stored', 'stored', 'stored']);

      await everyJobDone(queues);
      expect(deletesOf(uuid)).toEqual([]);
      expect(api.cloudState(uuid)).toBe('active');
    });

    it("records someone else's recording.deleted under their Zoom user and leaves our artifacts stored", async () => {
      const uuid = randomMeetingUuid();
      await deliver(harness, recording(uuid));
      await settledArtifacts(harness, uuid, 3);
      const recordingId = await recordingIdOf(harness, uuid);

      await deliver(harness, cloudChangeEvent('recording.deleted', uuid, 'host-user-42', { operator: 'ms.rivera@tutoring.example' }));
      const view = await waitFor(
        async () => {
          const v = await getRecording(harness, recordingId);
          return v.zoomCloudState === 'deleted' ? v : null;
        },
        'zoomCloudState deleted',
        10_000,
      );
      expect(view.artifacts.map((a) => a.status)).toEqual(['stored', 'stored', 'stored']);
      expect(view.artifacts.every((a) => a.deletedAt === null)).toBe(true);
      const audit = await auditOf(harness, recordingId, 'zoom.cloud_copy_deleted');
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor_id: 'zoom-user:host-user-42', details: { ours: false } });
      expect(deletesOf(uuid)).toEqual([]);
    });
  });
});

/**
 * The remove job is queued when the recording's last file settles and runs once; when every
 * queue is idle it has run (or was never queued), so a call that has not come by then never will.
 */
function everyJobDone(queues: QueueProbe): Promise<boolean> {
  return waitFor(() => queues.idle(), 'every queue idle', 20_000);
}

interface RecordingView {
  zoomCloudState: string;
  artifacts: Array<{ status: string; deletedAt: string | null }>;
}

async function getRecording(harness: ServiceHarness, id: string): Promise<RecordingView> {
  const res = await call(harness, 'GET', `/v1/recordings/${id}`);
  expect(res.status).toBe(200);
  return res.body as RecordingView;
}

async function auditActionsViaApi(harness: ServiceHarness, subjectId: string): Promise<string[]> {
  const res = await call(harness, 'GET', `/v1/audit?subjectId=${subjectId}`);
  expect(res.status).toBe(200);
  return (res.body as { items: Array<{ action: string }> }).items.map((i) => i.action);
}
