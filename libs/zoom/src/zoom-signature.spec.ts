import { createHmac } from 'node:crypto';
import { urlValidationAnswer, verifyZoomSignature, zoomSignature } from './zoom-signature';

const secret = 'zoom-secret';
const body = Buffer.from('{"event":"recording.completed","payload":{}}');
const now = 1_795_000_000_000;
const ts = String(now / 1000);
const verify = (overrides: Partial<Parameters<typeof verifyZoomSignature>[0]>) =>
  verifyZoomSignature({ secret, rawBody: body, timestampHeader: ts, signatureHeader: zoomSignature(secret, ts, body), nowMs: now, replayWindowSeconds: 300, ...overrides });

describe('Zoom webhook signature', () => {
  it('accepts v0=HMAC-SHA256(secret, v0:{timestamp}:{raw body})', () => {
    const expected = 'v0=' + createHmac('sha256', secret).update(`v0:${ts}:${body.toString()}`).digest('hex');
    expect(zoomSignature(secret, ts, body)).toBe(expected);
    expect(verify({})).toEqual({ ok: true });
  });
  it('refuses a signature made with another secret', () => {
    expect(verify({ signatureHeader: zoomSignature('other', ts, body) })).toEqual({ ok: false, reason: 'signature mismatch' });
  });
  it('refuses a body changed by one byte', () => {
    const changed = Buffer.from(body);
    changed[5] ^= 1;
    expect(verify({ rawBody: changed })).toEqual({ ok: false, reason: 'signature mismatch' });
  });
  it('refuses timestamps outside the five-minute replay window, past or future', () => {
    expect(verify({ nowMs: now + 301_000 })).toEqual({ ok: false, reason: 'stale timestamp' });
    expect(verify({ nowMs: now - 301_000 })).toEqual({ ok: false, reason: 'stale timestamp' });
    expect(verify({ nowMs: now + 299_000 })).toEqual({ ok: true });
  });
  it('refuses missing or malformed headers', () => {
    expect(verify({ signatureHeader: undefined })).toMatchObject({ ok: false, reason: 'missing signature headers' });
    expect(verify({ timestampHeader: undefined })).toMatchObject({ ok: false, reason: 'missing signature headers' });
    expect(verify({ signatureHeader: 'v1=abc' })).toMatchObject({ ok: false, reason: 'malformed signature' });
    expect(verify({ timestampHeader: 'yesterday' })).toMatchObject({ ok: false, reason: 'malformed signature' });
  });
  it('answers URL validation with hex(HMAC-SHA256(secret, plainToken))', () => {
    // Vector computed independently: printf %s qgg8vlvZRS6UYooatFL8Aw | openssl dgst -sha256 -hmac zoom-secret
    expect(urlValidationAnswer(secret, 'qgg8vlvZRS6UYooatFL8Aw')).toEqual({
      plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
      encryptedToken: 'b17f0320a1322a509340a1a835b3d9edbc491f0b0790ed2d20d0604d39dfe922',
    });
  });
});
