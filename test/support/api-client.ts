import { ServiceHarness } from './harness';

/** What the service answered: the status and the body, parsed as JSON when it is JSON. */
export interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface CallOptions {
  /** Roles of the signed development token (default admin); ignored when `token` is given. */
  roles?: string[];
  sub?: string;
  /** A token of the caller's own, or null for no Authorization header at all. */
  token?: string | null;
  json?: unknown;
  raw?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

/** The platform's service account, the caller of sessions, consents and uploads. */
export const PLATFORM: Pick<CallOptions, 'roles' | 'sub'> = { roles: ['platform'], sub: 'platform-service' };

/** One authenticated request to the service under test. */
export async function call(harness: ServiceHarness, method: string, pathname: string, opts: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  const token = opts.token === undefined ? await harness.token(opts.roles ?? ['admin'], opts.sub ?? 'person-admin') : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | Buffer | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.raw !== undefined) {
    headers['content-type'] = opts.contentType ?? 'application/octet-stream';
    body = opts.raw;
  }
  const res = await fetch(`${harness.baseUrl}${pathname}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (metrics, the review page).
  }
  return { status: res.status, body: parsed };
}
