import { fakeDownloadToken, FakeZoomHost, randomMeetingUuid, recordingCompletedEvent, sendWebhook } from '@lib/zoom-simulator';
import { bucketFolderKeys } from './support/bucket';
import { ServiceHarness, ZOOM_SECRET } from './support/harness';
import { waitFor } from './support/wait';

/**
 * Zoom lists CC and TIMELINE files without `file_size` (ZOOM.md): nothing Zoom says bounds them,
 * so ZOOM_MAX_UNSIZED_FILE_BYTES does (issue 11 A.11). Over it the file fails for good, keeping no
 * object; files within it, and files whose size Zoom announced, are archived as usual.
 */
describe('byte cap on Zoom files without file_size', () => {
  const CAP = 4096;
  const host = new FakeZoomHost();
  let harness: ServiceHarness;

  beforeAll(async () => {
    await host.start();
    harness = await ServiceHarness.start({ env: { ZOOM_DOWNLOAD_HOSTS: host.allowListEntries().join(','), ZOOM_MAX_UNSIZED_FILE_BYTES: String(CAP) } });
  });
  afterAll(async () => {
    await host.stop();
    await harness?.stop();
  });

  it('fails a timeline larger than the cap at once (no retry), and stores the small CC file and the sized chat', async () => {
    const token = fakeDownloadToken();
    host.acceptToken(token);
    const bigTimeline = host.addFile({ content: Buffer.from(JSON.stringify({ timeline: Array.from({ length: 400 }, (_, i) => ({ ts: `00:00:${i}`, users: [] })) })), contentType: 'application/json' });
    expect(bigTimeline.size).toBeGreaterThan(CAP);
    const cc = host.addFile({ content: Buffer.from('WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nHello\n'), contentType: 'text/vtt' });
    const chatText = Buffer.from('00:01:02\t Someone:\thello\n'.repeat(400));
    const chat = host.addFile({ content: chatText, contentType: 'text/plain' });
    expect(chat.size).toBeGreaterThan(CAP);
    const uuid = randomMeetingUuid();
    const event = recordingCompletedEvent({
      uuid,
      downloadToken: token,
      files: [
        { fileType: 'TIMELINE', fileExtension: 'JSON', downloadUrl: bigTimeline.downloadUrl },
        { fileType: 'CC', fileExtension: 'VTT', downloadUrl: cc.downloadUrl },
        { fileType: 'CHAT', fileExtension: 'TXT', recordingType: 'chat_file', downloadUrl: chat.downloadUrl, size: chat.size },
      ],
    });
    expect((await sendWebhook(`${harness.baseUrl}/webhooks/zoom`, ZOOM_SECRET, event)).status).toBe(200);

    type Row = { kind: string; status: string; reason: string | null; attempts: number; storage_key: string };
    const rows = await waitFor(
      async () => {
        const found = await harness.query<Row>(
          `SELECT a.kind, a.status, a.reason, a.attempts, a.storage_key FROM artifacts a JOIN recordings r ON r.id = a.recording_id
           WHERE r.zoom_meeting_uuid = $1 ORDER BY a.kind`,
          [uuid],
        );
        return found.length === 3 && found.every((r) => r.status !== 'pending') ? found : null;
      },
      'the three files to settle',
      30_000,
      200,
    );
    const byKind = Object.fromEntries(rows.map((r) => [r.kind, r]));
    expect(byKind.timeline).toMatchObject({ status: 'failed', reason: expect.stringContaining(`larger than the ${CAP} bytes`) });
    expect(byKind.transcript.status).toBe('stored');
    expect(byKind.chat.status).toBe('stored');
    expect(host.requests.filter((r) => r.server === 'download' && r.path === `/rec/download/${bigTimeline.key}`)).toHaveLength(1);
    const keys = await bucketFolderKeys(harness.s3Dir);
    expect(keys.some((k) => k.includes(byKind.timeline.storage_key))).toBe(false);
  });
});
