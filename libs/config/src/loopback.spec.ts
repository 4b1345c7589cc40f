import { isLoopbackHost, listenProblem } from './loopback';
import { loadConfig } from './load-config';

describe('loopback addresses and where the service may listen', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['0.0.0.0', '::', '10.0.0.5', '192.168.1.1', 'example.com', '128.0.0.1', 'localhost.example.com'])('%s is not loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  it('listens on loopback by default while the development secrets are in effect', () => {
    const config = loadConfig({});
    expect(config.devSecrets).toEqual(['AUTH_JWT_SECRET', 'ZOOM_WEBHOOK_SECRET_TOKEN', 'MEDIA_MASTER_KEY']);
    expect(config.host).toBe('127.0.0.1');
    expect(listenProblem(config)).toBeNull();
  });

  it('refuses a non-loopback HOST with the development secrets, naming HOST and the secrets', () => {
    const problem = listenProblem(loadConfig({ HOST: '0.0.0.0', ZOOM_WEBHOOK_SECRET_TOKEN: 'real' }));
    expect(problem).toMatch(/^HOST=0\.0\.0\.0 /);
    expect(problem).toContain('AUTH_JWT_SECRET');
    expect(problem).not.toContain('ZOOM_WEBHOOK_SECRET_TOKEN');
  });

  it('counts a development secret set explicitly as the development secret', () => {
    expect(loadConfig({ ZOOM_WEBHOOK_SECRET_TOKEN: 'dev-only-zoom-webhook-secret' }).devSecrets).toContain('ZOOM_WEBHOOK_SECRET_TOKEN');
  });

  it('listens on every interface by default with real secrets, in dev too', () => {
    const config = loadConfig({ AUTH_JWT_SECRET: 'j', ZOOM_WEBHOOK_SECRET_TOKEN: 'z', MEDIA_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') });
    expect(config.devSecrets).toEqual([]);
    expect(config.host).toBe('0.0.0.0');
    expect(listenProblem(config)).toBeNull();
  });
});
