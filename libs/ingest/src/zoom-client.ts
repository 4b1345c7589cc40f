import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { Clock } from '@lib/clock';
import { ZoomParticipantAudioFile, ZoomRecordingFile } from '@lib/zoom';

export interface ZoomRecordingLinks {
  downloadToken: string | null;
  files: Array<ZoomRecordingFile | ZoomParticipantAudioFile>;
}

/** Zoom's REST API, as far as we use it (server-to-server OAuth). */
export abstract class ZoomClient {
  abstract isConfigured(): boolean;
  /** Fresh download links and a fresh download token for a meeting instance. */
  abstract recordingLinks(meetingUuid: string): Promise<ZoomRecordingLinks>;
  /** Moves Zoom's cloud copy to the trash (recoverable 30 days) or deletes it. */
  abstract removeRecording(meetingUuid: string, action: 'trash' | 'delete'): Promise<void>;
}

/** A UUID that starts with `/` or contains `//` must be URL-encoded twice (ZOOM.md). */
export function encodeMeetingUuid(uuid: string): string {
  const once = encodeURIComponent(uuid);
  return uuid.startsWith('/') || uuid.includes('//') ? encodeURIComponent(once) : once;
}

export class ZoomApiError extends Error {
  constructor(
    readonly status: number,
    operation: string,
  ) {
    super(`Zoom API ${operation} answered HTTP ${status}`);
    this.name = 'ZoomApiError';
  }
}

@Injectable()
export class HttpZoomClient extends ZoomClient {
  private accessToken: { value: string; expiresAt: number } | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    super();
  }

  isConfigured(): boolean {
    const z = this.config.zoom;
    return Boolean(z.accountId && z.clientId && z.clientSecret);
  }

  async recordingLinks(meetingUuid: string): Promise<ZoomRecordingLinks> {
    const url = `${this.config.zoom.apiBaseUrl}/meetings/${encodeMeetingUuid(meetingUuid)}/recordings?include_fields=download_access_token`;
    const response = await this.call(url, { method: 'GET' }, 'get recordings');
    const body = (await response.json()) as {
      download_access_token?: string;
      recording_files?: ZoomRecordingFile[];
      participant_audio_files?: ZoomParticipantAudioFile[];
    };
    return {
      downloadToken: body.download_access_token ?? null,
      files: [...(body.recording_files ?? []), ...(body.participant_audio_files ?? [])],
    };
  }

  async removeRecording(meetingUuid: string, action: 'trash' | 'delete'): Promise<void> {
    const url = `${this.config.zoom.apiBaseUrl}/meetings/${encodeMeetingUuid(meetingUuid)}/recordings?action=${action}`;
    await this.call(url, { method: 'DELETE' }, `${action} recording`, [204, 200, 404]);
  }

  private async call(url: string, init: RequestInit, operation: string, ok = [200]): Promise<Response> {
    if (!this.isConfigured()) throw new Error('Zoom API credentials are not configured');
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = await this.token(attempt > 0);
      const response = await fetch(url, {
        ...init,
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(30_000),
      });
      if (response.status === 401 && attempt === 0) continue; // token revoked early: get a new one once
      if (!ok.includes(response.status)) throw new ZoomApiError(response.status, operation);
      return response;
    }
    throw new ZoomApiError(401, operation);
  }

  private async token(renew: boolean): Promise<string> {
    const now = this.clock.now().getTime();
    if (!renew && this.accessToken && this.accessToken.expiresAt > now) return this.accessToken.value;
    const z = this.config.zoom;
    const url = new URL(z.oauthTokenUrl);
    url.searchParams.set('grant_type', 'account_credentials');
    url.searchParams.set('account_id', z.accountId!);
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${z.clientId}:${z.clientSecret}`).toString('base64')}` },
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok) throw new ZoomApiError(response.status, 'oauth token');
    const body = (await response.json()) as { access_token: string; expires_in?: number };
    // Renew a minute early so a token never expires in flight.
    this.accessToken = { value: body.access_token, expiresAt: now + Math.max((body.expires_in ?? 3600) - 60, 30) * 1000 };
    return body.access_token;
  }
}

/** Seconds since epoch at which a JWT-shaped download token expires; null if it is not one. */
export function tokenExpiry(token: string): number | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp : null;
  } catch {
    return null;
  }
}
