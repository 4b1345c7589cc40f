import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { signDevToken } from '@lib/auth';
import { AppConfig, loadConfig } from '@lib/config';
import { FakeZoomHost, generateSampleMedia, SampleMedia, sendWebhook, simulateRecording } from '@lib/zoom-simulator';
import { CliCommand, note, parseFlags, say, UsageError } from '../cli-command';

const WAIT_FOR_RECORDING_MS = 30_000;
const WAIT_FOR_FILES_MS = 10 * 60_000;

/**
 * Plays Zoom: serves the files from a loopback download host (Bearer token, redirect to signed
 * storage on a second port), sends a signed `recording.completed` to the service, prints the
 * recording id, and keeps serving until the service has settled every file.
 */
export const zoomSimulateCommand: CliCommand = {
  name: 'zoom:simulate',
  usage: 'zoom:simulate [--video F] [--transcript F] [--chat F] [--participant-audio F…] [--url URL] [--port 9999] [--storage-port 9998] [--meeting-id N] [--start ISO]',
  summary: "serves files like Zoom's download host, sends a signed recording.completed, prints the recording id",
  async run(argv) {
    const { values } = parseFlags(argv, {
      video: { type: 'string' },
      audio: { type: 'string' },
      transcript: { type: 'string' },
      chat: { type: 'string' },
      'participant-audio': { type: 'string', multiple: true },
      url: { type: 'string' },
      port: { type: 'string', default: '9999' },
      'storage-port': { type: 'string', default: '9998' },
      'meeting-id': { type: 'string' },
      start: { type: 'string' },
      'no-wait': { type: 'boolean', default: false },
    });
    const config = loadConfig(process.env);
    const serviceUrl = values.url ?? `http://127.0.0.1:${config.port}`;
    const workDir = mkdtempSync(path.join(tmpdir(), 'zoom-simulate-'));
    const host = new FakeZoomHost({ port: Number(values.port), storagePort: Number(values['storage-port']) });
    try {
      note('zoom:simulate: making sample media with ffmpeg');
      const media = withGivenFiles(await generateSampleMedia(workDir), values);
      await host.start();
      const body = simulateRecording(host, media, {
        meetingId: values['meeting-id'] ? Number(values['meeting-id']) : undefined,
        startTime: values.start,
      });
      const answer = await sendWebhook(`${serviceUrl}/webhooks/zoom`, config.zoom.webhookSecretToken, body);
      if (answer.status >= 300) {
        note(`zoom:simulate: the service answered ${answer.status}: ${answer.body}`);
        return 1;
      }
      // Like any client of the service, it follows the recording through the API (audited reads).
      const reader = await apiReader(config, serviceUrl);
      const recordingId = await poll(WAIT_FOR_RECORDING_MS, async () => {
        const found = (await reader(`/v1/recordings?zoomMeetingUuid=${encodeURIComponent(body.payload.object.uuid)}`)) as { items: Array<{ id: string }> } | null;
        return found?.items[0]?.id;
      });
      if (!recordingId) {
        note('zoom:simulate: the webhook was accepted but no recording appeared (is a worker running?)');
        return 1;
      }
      say(`recording ${recordingId}`);
      if (values['no-wait']) return 0;
      note(`zoom:simulate: serving files on ${host.baseUrl} until the service has them`);
      const settled = await poll(WAIT_FOR_FILES_MS, async () => {
        const recording = (await reader(`/v1/recordings/${recordingId}`)) as { artifacts: Array<{ kind: string; status: string; derivedFrom: string | null }> } | null;
        const files = (recording?.artifacts ?? []).filter((a) => a.derivedFrom === null);
        return files.length > 0 && files.every((a) => a.status !== 'pending') ? files : undefined;
      });
      for (const row of settled ?? []) note(`  ${row.kind}: ${row.status}`);
      return settled ? 0 : 1;
    } finally {
      await host.stop().catch(() => undefined);
      rmSync(workDir, { recursive: true, force: true });
    }
  },
};

function withGivenFiles(media: SampleMedia, given: { video?: string; audio?: string; transcript?: string; chat?: string; 'participant-audio'?: string[] }): SampleMedia {
  const file = (p: string) => {
    try {
      return { path: path.resolve(p), size: statSync(p).size };
    } catch {
      throw new UsageError(`cannot read ${p}`);
    }
  };
  return {
    ...media,
    video: given.video ? file(given.video) : media.video,
    audio: given.audio ? file(given.audio) : media.audio,
    transcript: given.transcript ? file(given.transcript) : media.transcript,
    chat: given.chat ? file(given.chat) : media.chat,
    participantAudio: given['participant-audio']
      ? given['participant-audio'].map((p) => ({ ...file(p), displayName: path.basename(p).replace(/\.[^.]+$/, '') }))
      : media.participantAudio,
  };
}

/** GETs a JSON path of the service as an admin with a short-lived dev token (dev secret only). */
async function apiReader(config: AppConfig, serviceUrl: string): Promise<(pathAndQuery: string) => Promise<unknown>> {
  if (!config.isDev || !config.auth.jwtSecret) {
    throw new UsageError('zoom:simulate follows the recording through the API with a dev token: it needs the dev HS256 secret');
  }
  const token = await signDevToken(config.auth.jwtSecret, { sub: 'zoom-simulator', roles: ['admin'], ttlSeconds: 15 * 60 });
  return async (pathAndQuery) => {
    const answer = await fetch(`${serviceUrl}${pathAndQuery}`, { headers: { authorization: `Bearer ${token}` } }).catch(() => null);
    return answer?.ok ? answer.json() : null;
  };
}

async function poll<T>(timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return undefined;
}
