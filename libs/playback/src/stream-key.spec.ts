import { randomBytes } from 'node:crypto';
import { newStreamKey, unwrapStreamKey, wrapStreamKey } from './stream-key';

const master = Buffer.alloc(32, 7);

describe('stream keys are stored only wrapped by the master key', () => {
  it('unwraps what it wrapped, in the v1.<iv>.<tag>.<ct> form', () => {
    const key = newStreamKey(randomBytes);
    const wrapped = wrapStreamKey(key, master);
    expect(wrapped).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(unwrapStreamKey(wrapped, master)).toEqual(key);
    expect(key).toHaveLength(16);
  });

  it('throws on a tampered ciphertext, another master key, or another format', () => {
    const wrapped = wrapStreamKey(newStreamKey(randomBytes), master);
    const parts = wrapped.split('.');
    const ct = Buffer.from(parts[3], 'base64url');
    ct[0] ^= 1;
    parts[3] = ct.toString('base64url');
    expect(() => unwrapStreamKey(parts.join('.'), master)).toThrow();
    expect(() => unwrapStreamKey(wrapped, Buffer.alloc(32, 8))).toThrow();
    expect(() => unwrapStreamKey(`v2${wrapped.slice(2)}`, master)).toThrow();
  });
});
