import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyZoomSignature } from '@lib/zoom';
import { FakeZoomHost } from './fake-zoom-host';
import { rawGet } from './http-test-client';
import { generateLargeFile, generateSampleMedia, SampleMedia } from './sample-media';
import { simulateRecording } from './simulate-recording';
import { sendWebhook, signedHeaders, transcriptCompletedEvent } from './zoom-events';

describe('simulated Zoom recording', () => {
  const host = new FakeZoomHost();
  let dir: string;
  let media: SampleMedia;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zoom-sim-'));
    [media] = await Promise.all([generateSampleMedia(dir), host.start()]);
  });
  afterAll(async () => {
    await host.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('generates a Zoom-like MP4 with its moov atom after the media data', async () => {
    const mp4 = await readFile(media.video.path);
    expect(mp4.indexOf('moov')).toBeGreaterThan(mp4.indexOf('mdat'));
    expect(media.participantAudio.map((p) => p.displayName)).toEqual(['Ms Rivera', 'Elisa L', 'Tom K']);
  });

  it('writes transcript cues and cloud-format chat lines under the participants\' names', async () => {
    const vtt = await readFile(media.transcript.path, 'utf8');
    expect(vtt).toMatch(/^WEBVTT\n\n1\n00:00:00\.400 --> 00:00:02\.000\nMs Rivera: /);
    expect(vtt).toContain('Elisa L: ');
    const chat = await readFile(media.chat.path, 'utf8');
    expect(chat.split('\n')[0]).toMatch(/^\d\d:\d\d:\d\d\tMs Rivera:\t/);
    const timeline = JSON.parse(await readFile(media.timeline.path, 'utf8'));
    expect(Object.keys(timeline.timeline[0].users[0]).sort()).toEqual(
      ['avatar_url', 'client_type', 'email_address', 'multiple_people', 'user_id', 'username', 'zoom_userid'],
    );
  });

  it('builds a recording.completed body whose every link downloads the right bytes', async () => {
    const body = simulateRecording(host, media);
    const { object } = body.payload;
    expect(object.uuid).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(String(object.id)).toMatch(/^\d{11}$/);
    expect(object.recording_files?.map((f) => f.file_type)).toEqual(['MP4', 'M4A', 'TRANSCRIPT', 'CHAT', 'TIMELINE']);
    const timeline = object.recording_files?.[4];
    expect(timeline).not.toHaveProperty('id');
    expect(timeline).not.toHaveProperty('file_size');
    expect(timeline).not.toHaveProperty('status');
    expect(object.participant_audio_files?.map((f) => f.file_name)).toEqual(['Audio only - Ms Rivera', 'Audio only - Elisa L', 'Audio only - Tom K']);

    const sample = [media.video, media.audio, media.transcript, media.chat, media.timeline, ...media.participantAudio];
    const links = [...(object.recording_files ?? []), ...(object.participant_audio_files ?? [])];
    for (const [i, link] of links.entries()) {
      const first = await rawGet(link.download_url, { authorization: `Bearer ${body.download_token}` });
      const res = await rawGet(String(first.headers.location));
      expect(res.body.equals(await readFile(sample[i].path))).toBe(true);
    }
  });

  it('keeps a transcript_completed event to the transcript alone', () => {
    const event = transcriptCompletedEvent({
      downloadToken: 't',
      files: [{ fileType: 'TRANSCRIPT', fileExtension: 'VTT', recordingType: 'audio_transcript', downloadUrl: `${host.baseUrl}/rec/download/x`, size: 10 }],
    });
    expect(event.event).toBe('recording.transcript_completed');
    expect(event.payload.object.recording_files).toHaveLength(1);
    expect(event.payload.object).not.toHaveProperty('participant_audio_files');
  });

  it('signs deliveries the way the ingest verifier checks them', async () => {
    const received: Array<{ headers: Record<string, string | string[] | undefined>; raw: Buffer }> = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, raw: Buffer.concat(chunks) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/zoom`;
    try {
      const body = simulateRecording(host, media);
      expect(await sendWebhook(url, 'secret', body)).toEqual({ status: 204, body: '' });
      const { headers, raw } = received[0];
      const verdict = verifyZoomSignature({
        secret: 'secret',
        rawBody: raw,
        timestampHeader: String(headers['x-zm-request-timestamp']),
        signatureHeader: String(headers['x-zm-signature']),
        nowMs: Date.now(),
        replayWindowSeconds: 300,
      });
      expect(verdict).toEqual({ ok: true });
      expect(signedHeaders('s', '{}', 1)['x-zm-trackingid']).not.toBe(signedHeaders('s', '{}', 1)['x-zm-trackingid']);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('writes large files of the requested size', async () => {
    const file = await generateLargeFile(join(dir, 'large.bin'), 9 * 1024 * 1024 + 7);
    expect((await stat(file.path)).size).toBe(9 * 1024 * 1024 + 7);
  });
});
