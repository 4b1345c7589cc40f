import { randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { ZoomRecordingObject } from '@lib/zoom';
import type { FakeZoomHost } from './fake-zoom-host';
import { LoopbackServer, sendJson, splitTarget } from './loopback-server';

export interface FakeZoomApiOptions {
  host?: string;
  port?: number;
  accountId?: string;
  clientId?: string;
  clientSecret?: string;
  /** When given, every fresh download token handed out by setRecording is accepted there too. */
  downloadHost?: FakeZoomHost;
  /** Told when a DELETE removes a cloud copy, so a test can send the matching webhook. */
  onCloudChange?: (change: { uuid: string; action: 'trash' | 'delete' }) => void;
  now?: () => number;
}

export interface ApiRequest {
  method: string;
  /** The raw request target as sent, query included, before any percent-decoding. */
  rawPath: string;
  hadAuthorization: boolean;
  status: number;
  at: number;
}

type CloudState = 'active' | 'trashed' | 'deleted';

interface Registered {
  object: ZoomRecordingObject;
  downloadToken: string;
  state: CloudState;
}

const INVALID_TOKEN = { code: 124, message: 'Invalid access token.' };
const MISSING = { code: 3301, message: 'This recording does not exist.' };
const ACCESS_TOKEN_TTL_SECONDS = 3600;

/** Zoom's REST API (cloud recording calls) and server-to-server OAuth, on loopback. */
export class FakeZoomApi {
  readonly requests: ApiRequest[] = [];
  readonly credentials: { accountId: string; clientId: string; clientSecret: string };
  private readonly server: LoopbackServer;
  private readonly recordings = new Map<string, Registered>();
  private readonly accessTokens = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly opts: FakeZoomApiOptions = {}) {
    this.credentials = {
      accountId: opts.accountId ?? 'sim-account',
      clientId: opts.clientId ?? 'sim-client-id',
      clientSecret: opts.clientSecret ?? 'sim-client-secret',
    };
    this.now = opts.now ?? Date.now;
    this.server = new LoopbackServer((req, res) => this.handle(req, res), opts.host, opts.port);
  }

  start(): Promise<void> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  get baseUrl(): string {
    return this.server.origin;
  }

  get tokenUrl(): string {
    return `${this.baseUrl}/oauth/token`;
  }

  get apiBaseUrl(): string {
    return `${this.baseUrl}/v2`;
  }

  /** What GET /meetings/{uuid}/recordings answers for this instance, with a fresh download token. */
  setRecording(uuid: string, object: ZoomRecordingObject, freshDownloadToken: string): void {
    this.recordings.set(uuid, { object: { ...object, uuid }, downloadToken: freshDownloadToken, state: 'active' });
    this.opts.downloadHost?.acceptToken(freshDownloadToken);
  }

  cloudState(uuid: string): CloudState | undefined {
    return this.recordings.get(uuid)?.state;
  }

  /** Makes every issued access token invalid, as when Zoom rotates or revokes them. */
  revokeAccessTokens(): void {
    this.accessTokens.clear();
  }

  resetLog(): void {
    this.requests.length = 0;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const entry: ApiRequest = {
      method: req.method ?? 'GET',
      rawPath: req.url ?? '/',
      hadAuthorization: req.headers.authorization !== undefined,
      status: 0,
      at: this.now(),
    };
    this.requests.push(entry);
    const send = (status: number, body?: unknown): void => {
      entry.status = status;
      if (body === undefined) return void res.writeHead(status).end();
      sendJson(res, status, body);
    };
    // Drain the body (the token call may carry one) before answering.
    req.resume();
    req.once('end', () => this.route(req, send));
  }

  private route(req: IncomingMessage, send: (status: number, body?: unknown) => void): void {
    const { rawPath, query } = splitTarget(req.url);
    if (rawPath === '/oauth/token' && req.method === 'POST') return this.issueToken(req, query, send);
    const parts = rawPath.split('/');
    // ['', 'v2', 'meetings', <id>, 'recordings']. Zoom's gateway decodes the path once before routing,
    // so a uuid that starts with '/' or holds '//' only survives when encoded twice (as Zoom documents).
    if (parts.length !== 5 || parts[1] !== 'v2' || parts[2] !== 'meetings' || parts[4] !== 'recordings') {
      return send(404, { code: 404, message: 'Not found.' });
    }
    if (!this.isAuthorised(req.headers.authorization)) return send(401, INVALID_TOKEN);
    const gatewayDecoded = safeDecode(parts[3]);
    if (gatewayDecoded === undefined || gatewayDecoded.startsWith('/') || gatewayDecoded.includes('//')) {
      return send(404, MISSING);
    }
    const found = this.find(safeDecode(gatewayDecoded) ?? gatewayDecoded);
    if (!found || found.state !== 'active') return send(404, MISSING);
    if (req.method === 'GET') {
      const includeToken = (query.get('include_fields') ?? '').split(',').includes('download_access_token');
      return send(200, { ...found.object, ...(includeToken ? { download_access_token: found.downloadToken } : {}) });
    }
    if (req.method === 'DELETE') {
      const action = query.get('action') ?? 'trash';
      if (action !== 'trash' && action !== 'delete') return send(400, { code: 300, message: `Invalid action: ${action}` });
      found.state = action === 'trash' ? 'trashed' : 'deleted';
      send(204);
      return this.opts.onCloudChange?.({ uuid: found.object.uuid, action });
    }
    send(405, { code: 405, message: 'Method not allowed.' });
  }

  private issueToken(req: IncomingMessage, query: URLSearchParams, send: (status: number, body?: unknown) => void): void {
    const { accountId, clientId, clientSecret } = this.credentials;
    const basic = /^Basic (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!basic || Buffer.from(basic, 'base64').toString('utf8') !== `${clientId}:${clientSecret}`) {
      return send(401, { reason: 'Invalid client_id or client_secret', error: 'invalid_client' });
    }
    if (query.get('grant_type') !== 'account_credentials') {
      return send(400, { reason: 'Unsupported grant type', error: 'unsupported_grant_type' });
    }
    if (query.get('account_id') !== accountId) {
      return send(400, { reason: 'Invalid request : Bad Request', error: 'invalid_request' });
    }
    const token = randomBytes(32).toString('base64url');
    this.accessTokens.set(token, this.now() + ACCESS_TOKEN_TTL_SECONDS * 1000);
    send(200, {
      access_token: token,
      token_type: 'bearer',
      expires_in: ACCESS_TOKEN_TTL_SECONDS,
      scope: 'cloud_recording:read:list_recording_files:admin cloud_recording:delete:meeting_recording:admin',
      api_url: this.baseUrl,
    });
  }

  private isAuthorised(authorization: string | undefined): boolean {
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    const expiresAt = token ? this.accessTokens.get(token) : undefined;
    return expiresAt !== undefined && expiresAt > this.now();
  }

  /** By uuid; a meeting number acts on its latest registered instance, as Zoom's does. */
  private find(id: string): Registered | undefined {
    const exact = this.recordings.get(id);
    if (exact || !/^\d+$/.test(id)) return exact;
    return [...this.recordings.values()].reverse().find((r) => String(r.object.id) === id);
  }
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
