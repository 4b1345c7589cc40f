import { randomBytes } from 'node:crypto';
import { newStreamKey, STREAM_KEY_BYTES, StreamKeyUnreadable, unwrapStreamKey, wrapStreamKey } from './stream-key';

describe('stream keys (kept only wrapped by MEDIA_MASTER_KEY)', () => {
  const master = randomBytes(32);

  it('makes a random 16-byte AES-128 key each time', () => {
    const a = newStreamKey();
    expect(a).toHaveLength(STREAM_KEY_BYTES);
    expect(newStreamKey().equals(a)).toBe(false);
  });

  it('unwraps what it wrapped, and the wrapped form does not contain the key', () => {
    const key = newStreamKey();
    const wrapped = wrapStreamKey(key, master);
    expect(wrapped).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(wrapped).not.toContain(key.toString('base64url'));
    expect(wrapped).not.toContain(key.toString('hex'));
    expect(unwrapStreamKey(wrapped, master).equals(key)).toBe(true);
  });

  it('wraps the same key differently each time (a fresh IV)', () => {
    const key = newStreamKey();
    expect(wrapStreamKey(key, master)).not.toBe(wrapStreamKey(key, master));
  });

  it('refuses a tampered ciphertext, tag or IV', () => {
    const wrapped = wrapStreamKey(newStreamKey(), master);
    const parts = wrapped.split('.');
    for (const i of [1, 2, 3]) {
      const bytes = Buffer.from(parts[i], 'base64url');
      bytes[0] ^= 1;
      const tampered = [...parts];
      tampered[i] = bytes.toString('base64url');
      expect(() => unwrapStreamKey(tampered.join('.'), master)).toThrow(StreamKeyUnreadable);
    }
  });

  it('refuses another master key, another version and malformed input', () => {
    const wrapped = wrapStreamKey(newStreamKey(), master);
    expect(() => unwrapStreamKey(wrapped, randomBytes(32))).toThrow(StreamKeyUnreadable);
    expect(() => unwrapStreamKey(wrapped.replace(/^v1/, 'v2'), master)).toThrow(StreamKeyUnreadable);
    for (const bad of ['', 'v1', 'v1.a.b', 'v1...', `${wrapped}.x`]) expect(() => unwrapStreamKey(bad, master)).toThrow(StreamKeyUnreadable);
  });

  it('refuses a key that is not 16 bytes', () => {
    expect(() => wrapStreamKey(Buffer.alloc(32), master)).toThrow('16 bytes');
    expect(() => newStreamKey(() => Buffer.alloc(8))).toThrow('16 bytes');
  });
});
