import { ConfigError, DEV_JWT_SECRET, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('starts in dev with defaults only', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.auth.jwtSecret).toBe(DEV_JWT_SECRET);
    expect(config.zoom.downloadHosts).toEqual(['zoom.us', '*.zoom.us']);
    expect(config.zoom.cloudCopy).toBe('keep');
  });

  it('analyses recordings by default and holds on a tutor sharing email, phone, social, address or an off-platform invitation', () => {
    const { analysis } = loadConfig({});
    expect(analysis.enabled).toBe(true);
    expect([...analysis.autoHoldKinds].sort()).toEqual(['address', 'email', 'off_platform', 'phone', 'social']);
    expect(loadConfig({ SAFETY_AUTO_HOLD_KINDS: 'none' }).analysis.autoHoldKinds).toEqual([]);
    expect(loadConfig({ PLATFORM_DOMAINS: 'Tutoring.Example.org, learn.example.org' }).analysis.platformDomains).toEqual(['tutoring.example.org', 'learn.example.org']);
  });

  it('refuses an unknown kind in SAFETY_AUTO_HOLD_KINDS, naming it', () => {
    expect(() => loadConfig({ SAFETY_AUTO_HOLD_KINDS: 'phone,pigeon' })).toThrow(/SAFETY_AUTO_HOLD_KINDS has an unknown kind "pigeon"/);
  });

  it('names every missing secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    try {
      loadConfig({ NODE_ENV: 'production' });
    } catch (error) {
      const text = (error as ConfigError).problems.join('\n');
      expect(text).toContain('ZOOM_WEBHOOK_SECRET_TOKEN');
      expect(text).toContain('MEDIA_MASTER_KEY');
      expect(text).toContain('AUTH_JWT_SECRET or AUTH_JWKS_URL');
    }
  });

  it('starts in production given only the variables without defaults', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      ZOOM_WEBHOOK_SECRET_TOKEN: 'secret',
      AUTH_JWT_SECRET: 'jwt',
      MEDIA_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
    });
    expect(config.isDev).toBe(false);
    expect(config.auth.jwtSecret).toBe('jwt');
  });

  it.each([
    ['PORT', 'abc'],
    ['RUN_MODE', 'both'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_MIGRATION_URL', 'mysql://x'],
    ['ZOOM_CLOUD_COPY', 'shred'],
    ['ZOOM_DOWNLOAD_HOSTS', 'zoom.us,ftp://x'],
    ['POLICY_PROFILE', 'school'],
    ['MEDIA_MASTER_KEY', 'dG9vIHNob3J0'],
  ])('refuses a malformed %s and names it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}`, 'm'));
  });

  it('migrates with DATABASE_URL when no owner URL is given, and with DATABASE_MIGRATION_URL when it is', () => {
    const service = 'postgres://svc@db:5432/recordings';
    expect(loadConfig({ DATABASE_URL: service }).databaseMigrationUrl).toBe(service);
    const both = loadConfig({ DATABASE_URL: service, DATABASE_MIGRATION_URL: 'postgres://owner@db:5432/recordings' });
    expect([both.databaseUrl, both.databaseMigrationUrl]).toEqual([service, 'postgres://owner@db:5432/recordings']);
  });

  it('takes the JWKS only over https, or over http from a loopback host (tests)', () => {
    expect(() => loadConfig({ AUTH_JWKS_URL: 'http://idp.example.com/jwks' })).toThrow(/^AUTH_JWKS_URL must be an https:\/\/ URL/m);
    expect(loadConfig({ AUTH_JWKS_URL: 'https://idp.example.com/jwks' }).auth.jwksUrl).toBe('https://idp.example.com/jwks');
    expect(loadConfig({ AUTH_JWKS_URL: 'http://127.0.0.1:8080/jwks' }).auth.jwksUrl).toBe('http://127.0.0.1:8080/jwks');
  });

  it('bounds token age, unsized Zoom files and public request rates by default', () => {
    const config = loadConfig({});
    expect(config.auth.maxTokenAgeSeconds).toBe(86_400);
    expect(config.zoom.maxUnsizedFileBytes).toBe(64 * 1024 * 1024);
    expect(config.edge.publicRateLimitMax).toBeGreaterThan(0);
    expect(config.edge.trustProxy).toBe('loopback,linklocal,uniquelocal');
    expect(loadConfig({ TRUST_PROXY: '1' }).edge.trustProxy).toBe(1);
  });

  it.each(['AUTH_MAX_TOKEN_AGE_SECONDS', 'ZOOM_MAX_UNSIZED_FILE_BYTES', 'HTTP_PUBLIC_RATE_LIMIT_MAX', 'MEDIA_PROBE_TIMEOUT_MS', 'MEDIA_MAX_IMAGE_PIXELS'])(
    'refuses a malformed %s and names it',
    (name) => {
      expect(() => loadConfig({ [name]: 'lots' })).toThrow(new RegExp(`^${name}`, 'm'));
    },
  );

  it('parses an http:// download host entry as written', () => {
    expect(loadConfig({ ZOOM_DOWNLOAD_HOSTS: 'zoom.us, http://127.0.0.1:9999' }).zoom.downloadHosts).toEqual([
      'zoom.us',
      'http://127.0.0.1:9999',
    ]);
  });

  it('deletes an unreviewed verification video 7 days after upload by default, configurable in whole days', () => {
    expect(loadConfig({}).retention.verificationVideoUnreviewedDays).toBe(7);
    expect(loadConfig({ VERIFICATION_VIDEO_UNREVIEWED_DAYS: '3' }).retention.verificationVideoUnreviewedDays).toBe(3);
    expect(() => loadConfig({ VERIFICATION_VIDEO_UNREVIEWED_DAYS: '0' })).toThrow('VERIFICATION_VIDEO_UNREVIEWED_DAYS must be a whole number from 1 to 3650 (got "0")');
  });
});
