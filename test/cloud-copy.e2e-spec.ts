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
  sendWebhook,
} from '@lib/zoom-simulator';
import { ServiceHarness, ZOOM_SECRET } from './support/harness';
import { waitFor } from './support/wait';

/**
 * Zoom's cloud copy goes only after we hold a verified copy of every file (ZOOM_CLOUD_COPY), and
 * the webhook that change causes is told apart from someone else's change to it.
 */

const TRANSCRIPT = Buffer.from('WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nMs Rivera: Shall we start with fractions?\n');
const CHAT = Buffer.from('00:00:05\tElisa L:\tok\n');
const TIMELINE = Buffer.from(JSON.stringify({ timeline: [{ ts: '00:00:01.000', users: [{ username: 'Ms Rivera' }] }] }));
/** How long we watch for a call that must not come: the remove job runs right after the last file settles. */
const QUIET_MS = 2500;

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

    beforeAll(async () => {
      harness = await ServiceHarness.start({ env: { ...allowList(host), ...apiEnv(api), ZOOM_CLOUD_COPY: 'trash' } });
    });

    afterAll(async () => {
      await harness?.stop();
    });

    it('trashes the cloud copy once, after every file is stored, double-encoding a uuid that starts with a slash', async () => {
      const uuid = '/abc//def==';
      await deliver(harness, recording(uuid));
      const artifacts = await settled(harness, uuid, 3);
      expect(artifacts.map((a) => a.status)).toEqual(['stored', 'stored', 'stored']);

      const [call] = await waitFor(async () => (deletesOf(uuid).length > 0 ? deletesOf(uuid) : null), 'the DELETE call', 10_000);
      expect(call.rawPath).toBe('/v2/meetings/%252Fabc%252F%252Fdef%253D%253D/recordings?action=trash');
      expect(call.status).toBe(204);
      expect(call.hadAuthorization).toBe(true);
      const lastStored = Math.max(...artifacts.map((a) => a.stored_at!.getTime()));
      expect(call.at).toBeGreaterThanOrEqual(lastStored);
      expect(api.cloudState(uuid)).toBe('trashed');

      await sleep(QUIET_MS);
      expect(deletesOf(uuid)).toHaveLength(1);
    });

    it('recognises the recording.trashed webhook its own call causes as ours', async () => {
      const uuid = randomMeetingUuid();
      await deliver(harness, recording(uuid));
      await settled(harness, uuid, 3);
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
      const artifacts = await settled(harness, uuid, 3);
      expect(artifacts.map((a) => a.status).sort()).toEqual(['failed', 'stored', 'stored']);

      await sleep(QUIET_MS);
      expect(deletesOf(uuid)).toEqual([]);
      expect(api.cloudState(uuid)).toBe('active');
    });
  });

  describe('with ZOOM_CLOUD_COPY=keep (the default)', () => {
    let harness: ServiceHarness;

    beforeAll(async () => {
      harness = await ServiceHarness.start({ env: { ...allowList(host), ...apiEnv(api) } });
    });

    afterAll(async () => {
      await harness?.stop();
    });

    it('never asks Zoom to remove the cloud copy', async () => {
      const uuid = randomMeetingUuid();
      await deliver(harness, recording(uuid));
      const artifacts = await settled(harness, uuid, 3);
      expect(artifacts.map((a) => a.status)).toEqual(['stored', 'stored', 'stored']);

      await sleep(QUIET_MS);
      expect(deletesOf(uuid)).toEqual([]);
      expect(api.cloudState(uuid)).toBe('active');
    });

    it("records someone else's recording.deleted under their Zoom user and leaves our artifacts stored", async () => {
      const uuid = randomMeetingUuid();
      await deliver(harness, recording(uuid));
      await settled(harness, uuid, 3);
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

function allowList(host: FakeZoomHost): Record<string, string> {
  return { ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(',') };
}

function apiEnv(api: FakeZoomApi): Record<string, string> {
  return {
    ZOOM_API_BASE_URL: api.apiBaseUrl,
    ZOOM_OAUTH_TOKEN_URL: api.tokenUrl,
    ZOOM_ACCOUNT_ID: api.credentials.accountId,
    ZOOM_CLIENT_ID: api.credentials.clientId,
    ZOOM_CLIENT_SECRET: api.credentials.clientSecret,
  };
}

/** Zoom's rule: encode the uuid once, or twice when it starts with `/` or holds `//`. */
function zoomPathSegment(uuid: string): string {
  const once = encodeURIComponent(uuid);
  return uuid.startsWith('/') || uuid.includes('//') ? encodeURIComponent(once) : once;
}

async function deliver(harness: ServiceHarness, body: object): Promise<void> {
  const answer = await sendWebhook(`${harness.baseUrl}/webhooks/zoom`, ZOOM_SECRET, body);
  expect(answer.status).toBe(200);
}

interface ArtifactRow {
  status: string;
  stored_at: Date | null;
}

async function settled(harness: ServiceHarness, uuid: string, count: number): Promise<ArtifactRow[]> {
  return waitFor(
    async () => {
      const rows = await harness.query<ArtifactRow>(
        `SELECT a.status, a.stored_at FROM artifacts a JOIN recordings r ON r.id = a.recording_id
         WHERE r.zoom_meeting_uuid = $1 ORDER BY a.created_at, a.id`,
        [uuid],
      );
      return rows.length === count && rows.every((a) => a.status !== 'pending') ? rows : null;
    },
    `the files of ${uuid} to settle`,
    20_000,
  );
}

async function recordingIdOf(harness: ServiceHarness, uuid: string): Promise<string> {
  const [row] = await harness.query<{ id: string }>('SELECT id FROM recordings WHERE zoom_meeting_uuid = $1', [uuid]);
  return row.id;
}

interface RecordingView {
  zoomCloudState: string;
  artifacts: Array<{ status: string; deletedAt: string | null }>;
}

async function getRecording(harness: ServiceHarness, id: string): Promise<RecordingView> {
  const res = await fetch(`${harness.baseUrl}/v1/recordings/${id}`, { headers: { authorization: `Bearer ${await harness.token(['admin'])}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as RecordingView;
}

/** The audit API lists ids and actions only; the details (ours or not) are read from the table. */
async function auditOf(harness: ServiceHarness, subjectId: string, action: string) {
  return harness.query<{ actor_id: string; details: Record<string, unknown> }>(
    'SELECT actor_id, details FROM audit_log WHERE subject_id = $1 AND action = $2 ORDER BY id',
    [subjectId, action],
  );
}

async function auditActionsViaApi(harness: ServiceHarness, subjectId: string): Promise<string[]> {
  const res = await fetch(`${harness.baseUrl}/v1/audit?subjectId=${subjectId}`, { headers: { authorization: `Bearer ${await harness.token(['admin'])}` } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { items: Array<{ action: string }> };
  return body.items.map((i) => i.action);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
