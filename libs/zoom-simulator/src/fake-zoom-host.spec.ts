import { randomBytes } from 'node:crypto';
import { fakeDownloadToken } from './download-token';
import { FakeZoomApi } from './fake-zoom-api';
import { FakeZoomHost } from './fake-zoom-host';
import { rawGet } from './http-test-client';

const TOKEN = 'download-token-1';
const bearer = (token = TOKEN) => ({ authorization: `Bearer ${token}` });

describe('FakeZoomHost', () => {
  const host = new FakeZoomHost({ downloadToken: TOKEN });
  const content = randomBytes(200_000);

  beforeAll(() => host.start());
  afterAll(() => host.stop());
  beforeEach(() => host.resetLog());

  async function download(downloadUrl: string) {
    const first = await rawGet(downloadUrl, bearer());
    expect(first.status).toBe(302);
    return rawGet(String(first.headers.location));
  }

  it('refuses a download without the download token, or with a wrong one', async () => {
    const { downloadUrl } = host.addFile({ content, contentType: 'video/mp4' });
    for (const headers of [{}, bearer('not-the-token')]) {
      const res = await rawGet(downloadUrl, headers);
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body.toString())).toEqual({ code: 124, message: 'Invalid access token.' });
    }
  });

  it('refuses an accepted token once its exp has passed', async () => {
    const expired = fakeDownloadToken({ nowSeconds: Math.floor(Date.now() / 1000) - 90_000 });
    host.acceptToken(expired);
    const { downloadUrl } = host.addFile({ content, contentType: 'video/mp4' });
    const res = await rawGet(downloadUrl, bearer(expired));
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body.toString()).message).toBe('Access token is expired.');
  });

  it('redirects to signed storage on another origin, which serves the exact bytes', async () => {
    const { key, downloadUrl, size } = host.addFile({ content, contentType: 'video/mp4' });
    expect(downloadUrl).toBe(`${host.baseUrl}/rec/download/${key}`);
    const first = await rawGet(downloadUrl, bearer());
    const location = String(first.headers.location);
    expect(location.startsWith(`${host.storageBaseUrl}/objects/${key}?expires=`)).toBe(true);
    expect(host.storageBaseUrl).not.toBe(host.baseUrl);
    expect(host.allowListEntries()).toEqual([host.baseUrl, host.storageBaseUrl]);

    const res = await rawGet(location);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('video/mp4');
    expect(res.headers['content-length']).toBe(String(size));
    expect(res.body.equals(content)).toBe(true);
    expect(host.bytesServed(key)).toBe(size);
    expect(host.requests.map((r) => [r.server, r.hadAuthorization])).toEqual([['download', true], ['storage', false]]);
  });

  it('answers 400 when the signed storage URL also carries an Authorization header', async () => {
    const { downloadUrl } = host.addFile({ content, contentType: 'video/mp4' });
    const first = await rawGet(downloadUrl, bearer());
    const res = await rawGet(String(first.headers.location), bearer());
    expect(res.status).toBe(400);
    expect(res.body.toString()).toContain('InvalidArgument');
  });

  it('refuses a storage URL whose signature was tampered with', async () => {
    const { downloadUrl } = host.addFile({ content, contentType: 'video/mp4' });
    const first = await rawGet(downloadUrl, bearer());
    const tampered = String(first.headers.location).replace(/signature=(.)/, (_, c: string) => `signature=${c === '0' ? '1' : '0'}`);
    const res = await rawGet(tampered);
    expect(res.status).toBe(403);
  });

  it('answers 503 to the first failFirst attempts, then redirects', async () => {
    const { downloadUrl } = host.addFile({ content, contentType: 'video/mp4', faults: { failFirst: 2 } });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await rawGet(downloadUrl, bearer())).status);
    expect(statuses).toEqual([503, 503, 302]);
  });

  it('drops the connection after dropAfterBytes on the first dropTimes responses only', async () => {
    const { key, downloadUrl } = host.addFile({ content, contentType: 'video/mp4', faults: { dropAfterBytes: 50_000, dropTimes: 1 } });
    const broken = await download(downloadUrl);
    expect(broken.status).toBe(200);
    expect(broken.error).toBeDefined();
    expect(broken.body.length).toBe(50_000);
    expect(broken.body.equals(content.subarray(0, 50_000))).toBe(true);

    const whole = await download(downloadUrl);
    expect(whole.error).toBeUndefined();
    expect(whole.body.equals(content)).toBe(true);
    expect(host.bytesServed(key)).toBe(50_000 + content.length);
  });

  it('serves a Range request with 206, so an interrupted download can resume', async () => {
    const { downloadUrl } = host.addFile({ content, contentType: 'video/mp4' });
    const first = await rawGet(downloadUrl, bearer());
    const res = await rawGet(String(first.headers.location), { range: 'bytes=50000-' });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes 50000-${content.length - 1}/${content.length}`);
    expect(res.body.equals(content.subarray(50_000))).toBe(true);
  });

  it('stalls after stallAfterBytes until the client gives up', async () => {
    const { downloadUrl } = host.addFile({ content, contentType: 'video/mp4', faults: { stallAfterBytes: 1000 } });
    const first = await rawGet(downloadUrl, bearer());
    const stalled = await rawGet(String(first.headers.location), {}, 300);
    expect(stalled.error).toBeDefined();
    expect(stalled.body.length).toBe(1000);
  });

  it('trickles the body at throttleBytesPerSecond', async () => {
    const small = content.subarray(0, 30_000);
    const { downloadUrl } = host.addFile({ content: small, contentType: 'audio/mp4', faults: { throttleBytesPerSecond: 100_000 } });
    const started = Date.now();
    const res = await download(downloadUrl);
    expect(res.body.equals(small)).toBe(true);
    // 10 kB slices 100 ms apart: the last slice leaves ~200 ms after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
  });

  it('answers 200 with an HTML error page when htmlErrorPage is set', async () => {
    const { downloadUrl } = host.addFile({ content, contentType: 'video/mp4', faults: { htmlErrorPage: true } });
    const res = await rawGet(downloadUrl, bearer());
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body.toString()).toMatch(/^<!DOCTYPE html>/);
  });

  it('redirects wherever redirectTo says', async () => {
    const { downloadUrl } = host.addFile({ content, contentType: 'video/mp4', faults: { redirectTo: 'http://169.254.169.254/latest/meta-data' } });
    const res = await rawGet(downloadUrl, bearer());
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('http://169.254.169.254/latest/meta-data');
  });
});

describe('FakeZoomApi', () => {
  const host = new FakeZoomHost();
  const api = new FakeZoomApi({ clientId: 'cid', clientSecret: 'csecret', accountId: 'acct', downloadHost: host });
  const uuid = '/ajXp112QmuoKj4854875==';

  beforeAll(() => Promise.all([api.start(), host.start()]));
  afterAll(() => Promise.all([api.stop(), host.stop()]));

  async function accessToken(clientSecret = 'csecret'): Promise<Response> {
    const basic = Buffer.from(`cid:${clientSecret}`).toString('base64');
    return fetch(`${api.tokenUrl}?grant_type=account_credentials&account_id=acct`, { method: 'POST', headers: { authorization: `Basic ${basic}` } });
  }

  it('issues a server-to-server OAuth token for the right client credentials only', async () => {
    expect((await accessToken('wrong')).status).toBe(401);
    const res = await accessToken();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ token_type: 'bearer', expires_in: 3600, access_token: expect.any(String) });
  });

  it('logs the raw path, so double encoding of a uuid starting with "/" is visible', async () => {
    const { access_token: token } = (await (await accessToken()).json()) as { access_token: string };
    api.setRecording(uuid, { uuid, id: 81234567890, start_time: '2026-11-02T15:00:00Z', recording_files: [] }, 'fresh-token');
    const auth = { authorization: `Bearer ${token}` };
    api.resetLog();

    const once = encodeURIComponent(uuid);
    const twice = encodeURIComponent(once);
    expect((await fetch(`${api.apiBaseUrl}/meetings/${once}/recordings`, { headers: auth })).status).toBe(404);
    const res = await fetch(`${api.apiBaseUrl}/meetings/${twice}/recordings?include_fields=download_access_token`, { headers: auth });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ uuid, id: 81234567890, download_access_token: 'fresh-token' });
    expect(api.requests.map((r) => r.rawPath)).toEqual([
      '/v2/meetings/%2FajXp112QmuoKj4854875%3D%3D/recordings',
      '/v2/meetings/%252FajXp112QmuoKj4854875%253D%253D/recordings?include_fields=download_access_token',
    ]);

    // The fresh token is what the download host now accepts.
    const { downloadUrl } = host.addFile({ content: Buffer.from('x'), contentType: 'text/plain' });
    expect((await rawGet(downloadUrl, { authorization: 'Bearer fresh-token' })).status).toBe(302);

    expect((await fetch(`${api.apiBaseUrl}/meetings/${twice}/recordings`, { headers: {} })).status).toBe(401);
    const trashed = await fetch(`${api.apiBaseUrl}/meetings/${twice}/recordings?action=trash`, { method: 'DELETE', headers: auth });
    expect(trashed.status).toBe(204);
    expect(api.cloudState(uuid)).toBe('trashed');
  });
});
