import { signedHeaders, urlValidationEvent } from '@lib/zoom-simulator';
import { ServiceHarness, ZOOM_SECRET } from './support/harness';
import { secureJson } from './support/json-parser-spy';

/**
 * Issue 11 A.11: the webhook checks Zoom's signature before it parses a byte of JSON, so bytes
 * from anyone else cost an HMAC and nothing more.
 */
describe('Zoom webhook: signature before parsing', () => {
  let harness: ServiceHarness;
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const post = (raw: string, headers: Record<string, string>) =>
    fetch(`${harness.baseUrl}/webhooks/zoom`, { method: 'POST', headers, body: raw }).then(async (res) => ({ status: res.status, body: await res.text() }));

  beforeAll(async () => {
    harness = await ServiceHarness.start({ runMode: 'api' });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await harness?.stop();
  });

  it('refuses an unsigned JSON body with 401 without parsing it', async () => {
    const parse = jest.spyOn(secureJson, 'parse');
    const raw = JSON.stringify(urlValidationEvent('some-plain-token'));
    const res = await post(raw, signedHeaders('not-our-secret', raw, nowSeconds()));
    expect(res.status).toBe(401);
    expect(parse).not.toHaveBeenCalled();
    parse.mockRestore();
  });

  it('parses the same body once its signature is ours (the spy sees the parser)', async () => {
    const parse = jest.spyOn(secureJson, 'parse');
    const raw = JSON.stringify(urlValidationEvent('some-plain-token'));
    const res = await post(raw, signedHeaders(ZOOM_SECRET, raw, nowSeconds()));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ plainToken: 'some-plain-token' });
    expect(parse).toHaveBeenCalledTimes(1);
    parse.mockRestore();
  });

  it('answers a malformed body with a bad signature 401, not 400, and a signed malformed body 400', async () => {
    const raw = '{"event": "endpoint.url_validation", "payload": {';
    expect((await post(raw, signedHeaders('not-our-secret', raw, nowSeconds()))).status).toBe(401);
    expect((await post(raw, signedHeaders(ZOOM_SECRET, raw, nowSeconds()))).status).toBe(400);
  });

  it('still refuses a malformed body on other routes with 400 before their handler', async () => {
    const res = await fetch(`${harness.baseUrl}/v1/sessions/x`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await harness.token(['platform'])}` },
      body: '{"broken": ',
    });
    expect(res.status).toBe(400);
  });
});
