import { AppConfig, CloudCopyAction, PolicyProfileName, RunMode } from './app-config';
import { isLoopbackHost } from './loopback';

/** The fixed dev-only JWT secret: `cli token` and a quickstart service agree on it (CONTRACT). */
export const DEV_JWT_SECRET = 'dev-only-jwt-secret-never-use-in-production';
export const DEV_ZOOM_WEBHOOK_SECRET = 'dev-only-zoom-webhook-secret';
const DEV_MEDIA_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');
/** The kinds of contact detail the safety signals know (libs/text ContactKind; a spec in libs/analytics keeps the two equal). */
export const CONTACT_KINDS = ['email', 'phone', 'social', 'address', 'link', 'off_platform'];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Reads and validates the environment. Every problem names its variable; all of them are reported
 * at once so an operator fixes the deployment in one go.
 */
export function loadConfig(env: Env): AppConfig {
  const problems: string[] = [];
  const nodeEnv = env.NODE_ENV ?? 'development';
  const isDev = ['development', 'test', ''].includes(nodeEnv);

  const str = (name: string, fallback?: string): string | undefined => {
    const value = env[name];
    return value === undefined || value === '' ? fallback : value;
  };
  const required = (name: string, devFallback: string, why = ''): string => {
    const value = str(name);
    if (value !== undefined) return value;
    if (isDev) return devFallback;
    problems.push(`${name} is required when NODE_ENV=${nodeEnv}${why}`);
    return '';
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const fraction = (name: string, fallback: number): number => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\s*\d+(\.\d+)?\s*$/.test(raw) || value > 1) {
      problems.push(`${name} must be a number from 0 to 1 (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, fallback: T, allowed: readonly T[]): T => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    if (!allowed.includes(raw as T)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  };
  const url = (name: string, fallback: string | undefined, protocols: string[]): string | undefined => {
    const raw = str(name, fallback);
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) throw new Error('protocol');
    } catch {
      problems.push(`${name} must be a ${protocols.map((p) => p.replace(':', '://')).join(' or ')} URL (got "${raw}")`);
    }
    return raw;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    if (!['true', 'false', '1', '0'].includes(raw)) {
      problems.push(`${name} must be true or false (got "${raw}")`);
      return fallback;
    }
    return raw === 'true' || raw === '1';
  };

  const region = (name: string, fallback: string): string => {
    const raw = str(name, fallback)!;
    if (!/^[A-Z]{2}(-[A-Z0-9]{1,4})?$/.test(raw)) {
      problems.push(`${name} must be a country code, optionally with a region (GB-ENG, US, DE-BY) (got "${raw}")`);
      return fallback;
    }
    return raw;
  };

  const downloadHosts = (str('ZOOM_DOWNLOAD_HOSTS', 'zoom.us,*.zoom.us') ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  for (const host of downloadHosts) {
    if (!/^(https?:\/\/)?(\*\.)?[a-z0-9.-]+(:\d+)?$/i.test(host)) {
      problems.push(`ZOOM_DOWNLOAD_HOSTS has an entry that is not a host, *.host or http://host:port ("${host}")`);
    }
  }

  const masterKeyRaw = required('MEDIA_MASTER_KEY', DEV_MEDIA_MASTER_KEY);
  const mediaMasterKey = Buffer.from(masterKeyRaw, 'base64');
  if (masterKeyRaw && mediaMasterKey.length !== 32) {
    problems.push('MEDIA_MASTER_KEY must be 32 bytes, base64-encoded');
  }

  const jwtSecret = str('AUTH_JWT_SECRET');
  const jwksUrl = url('AUTH_JWKS_URL', undefined, ['https:', 'http:']);
  // Keys fetched over plain HTTP could be swapped on the way: https, or a loopback test server.
  if (jwksUrl && new URL(jwksUrl).protocol === 'http:' && !isLoopbackHost(new URL(jwksUrl).hostname)) {
    problems.push(`AUTH_JWKS_URL must be an https:// URL (http:// only for a loopback host) (got "${jwksUrl}")`);
  }
  if (!isDev && !jwtSecret && !jwksUrl) {
    problems.push(`AUTH_JWT_SECRET or AUTH_JWKS_URL is required when NODE_ENV=${nodeEnv}`);
  }

  const effectiveJwtSecret = jwtSecret ?? (isDev && !jwksUrl ? DEV_JWT_SECRET : undefined);
  const zoomSecret = required('ZOOM_WEBHOOK_SECRET_TOKEN', DEV_ZOOM_WEBHOOK_SECRET);
  const devSecrets = [
    ...(effectiveJwtSecret === DEV_JWT_SECRET ? ['AUTH_JWT_SECRET'] : []),
    ...(zoomSecret === DEV_ZOOM_WEBHOOK_SECRET ? ['ZOOM_WEBHOOK_SECRET_TOKEN'] : []),
    ...(masterKeyRaw === DEV_MEDIA_MASTER_KEY ? ['MEDIA_MASTER_KEY'] : []),
  ];

  const list = (name: string, fallback: string): string[] =>
    (str(name, fallback) ?? '')
      .split(',')
      .map((v) => v.trim().toLowerCase())
      .filter(Boolean);
  // `none`: no automatic safety holds (flags still order the review queue).
  const autoHoldKinds = list('SAFETY_AUTO_HOLD_KINDS', 'email,phone,social,address,off_platform').filter((k) => k !== 'none');
  for (const kind of autoHoldKinds.filter((k) => !CONTACT_KINDS.includes(k))) {
    problems.push(`SAFETY_AUTO_HOLD_KINDS has an unknown kind "${kind}" (known: ${CONTACT_KINDS.join(', ')})`);
  }

  const anchorKeyRaw = str('AUDIT_ANCHOR_KEY');
  if (anchorKeyRaw && Buffer.from(anchorKeyRaw, 'base64').length !== 32) problems.push('AUDIT_ANCHOR_KEY must be 32 bytes, base64-encoded');

  const s3Endpoint = url('S3_ENDPOINT', undefined, ['http:', 'https:']);
  const sseDefault = s3Endpoint ? 'AES256' : 'none';

  const databaseUrl = url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/recordings', ['postgres:', 'postgresql:'])!;
  const config: AppConfig = {
    isDev,
    nodeEnv,
    port: int('PORT', 3000, 0, 65535), // 0: any free port (tests)
    host: str('HOST', devSecrets.length > 0 ? '127.0.0.1' : '0.0.0.0')!,
    devSecrets,
    edge: {
      publicRateLimitMax: int('HTTP_PUBLIC_RATE_LIMIT_MAX', 600, 0, 1_000_000),
      publicRateLimitWindowMs: int('HTTP_PUBLIC_RATE_LIMIT_WINDOW_MS', 60_000, 100, 3_600_000),
      refusalLogIntervalMs: int('HTTP_REFUSAL_LOG_INTERVAL_MS', 60_000, 100, 3_600_000),
      trustProxy: trustProxy(str('TRUST_PROXY', 'loopback,linklocal,uniquelocal')!),
    },
    media: {
      probeTimeoutMs: int('MEDIA_PROBE_TIMEOUT_MS', 30_000, 100, 3_600_000),
      maxImagePixels: int('MEDIA_MAX_IMAGE_PIXELS', 50_000_000, 1, 1_000_000_000),
      streamPackaging: bool('STREAM_PACKAGING', true),
    },
    runMode: oneOf<RunMode>('RUN_MODE', 'all', ['api', 'worker', 'all']),
    review: { sampleShare: fraction('REVIEW_SAMPLE_SHARE', 0.1) },
    audit: {
      sealIntervalMs: int('AUDIT_SEAL_INTERVAL_MS', 1000, 50, 600_000),
      anchorIntervalMs: int('AUDIT_ANCHOR_INTERVAL_MS', 60_000, 0, 86_400_000),
      unsealedAlertMs: int('AUDIT_UNSEALED_ALERT_MS', 30_000, 1000, 86_400_000),
      anchorKey: anchorKeyRaw ? Buffer.from(anchorKeyRaw, 'base64') : null,
    },
    analysis: {
      enabled: bool('TALK_TIME_ANALYSIS', true),
      platformDomains: list('PLATFORM_DOMAINS', 'localhost'),
      autoHoldKinds: autoHoldKinds,
      trendSessions: int('FEEDBACK_TREND_SESSIONS', 10, 1, 200),
      maxTextBytes: int('ANALYSIS_MAX_TEXT_BYTES', 20 * 1024 * 1024, 1024, 1024 ** 3),
    },
    logLevel: oneOf('LOG_LEVEL', isDev ? 'info' : 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    databaseUrl,
    databaseMigrationUrl: url('DATABASE_MIGRATION_URL', databaseUrl, ['postgres:', 'postgresql:'])!,
    redisUrl: url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:'])!,
    queuePrefix: str('QUEUE_PREFIX', 'recordings')!,
    s3: {
      endpoint: s3Endpoint,
      bucket: str('S3_BUCKET', 'recordings')!,
      region: str('S3_REGION', 'us-east-1')!,
      accessKeyId: str('S3_ACCESS_KEY_ID', 'S3RVER')!,
      secretAccessKey: str('S3_SECRET_ACCESS_KEY', 'S3RVER')!,
      forcePathStyle: bool('S3_FORCE_PATH_STYLE', true),
      serverSideEncryption: oneOf('S3_SSE', sseDefault, ['AES256', 'aws:kms', 'none'] as const),
      embeddedPort: int('S3_EMBEDDED_PORT', 4569, 0, 65535),
      embeddedDataDir: str('S3_DATA_DIR', '.data/s3')!,
    },
    zoom: {
      webhookSecretToken: zoomSecret,
      replayWindowSeconds: int('ZOOM_WEBHOOK_REPLAY_WINDOW_SECONDS', 300, 1, 3600),
      webhookMaxBodyBytes: int('ZOOM_WEBHOOK_MAX_BODY_BYTES', 2 * 1024 * 1024, 1024, 64 * 1024 * 1024),
      webhookGroupCommitMs: int('WEBHOOK_GROUP_COMMIT_MS', 0, 0, 50),
      webhookGroupCommitMax: int('WEBHOOK_GROUP_COMMIT_MAX', 200, 1, 5000),
      webhookRepeatMemorySeconds: int('WEBHOOK_REPEAT_MEMORY_SECONDS', 60, 0, 3600),
      maxUnsizedFileBytes: int('ZOOM_MAX_UNSIZED_FILE_BYTES', 64 * 1024 * 1024, 1024, 16 * 1024 ** 3),
      downloadHosts,
      apiBaseUrl: url('ZOOM_API_BASE_URL', 'https://api.zoom.us/v2', ['https:', 'http:'])!,
      oauthTokenUrl: url('ZOOM_OAUTH_TOKEN_URL', 'https://zoom.us/oauth/token', ['https:', 'http:'])!,
      accountId: str('ZOOM_ACCOUNT_ID'),
      clientId: str('ZOOM_CLIENT_ID'),
      clientSecret: str('ZOOM_CLIENT_SECRET'),
      cloudCopy: oneOf<CloudCopyAction>('ZOOM_CLOUD_COPY', 'keep', ['keep', 'trash', 'delete']),
    },
    archive: {
      concurrency: int('ARCHIVE_CONCURRENCY', 4, 1, 64),
      attempts: int('ARCHIVE_ATTEMPTS', 10, 1, 100),
      backoffBaseMs: int('ARCHIVE_BACKOFF_BASE_MS', 5000, 10, 3_600_000),
      notReadyDelayMs: int('ARCHIVE_NOT_READY_DELAY_MS', 10 * 60_000, 10, 86_400_000),
      downloadIdleTimeoutMs: int('ARCHIVE_DOWNLOAD_IDLE_TIMEOUT_MS', 60_000, 100, 3_600_000),
      maxRedirects: int('ARCHIVE_MAX_REDIRECTS', 5, 0, 5),
      lockDurationMs: int('QUEUE_LOCK_DURATION_MS', 30_000, 1000, 600_000),
      incompleteUploadMaxAgeHours: int('INCOMPLETE_UPLOAD_MAX_AGE_HOURS', 24, 1, 24 * 30),
      incompleteUploadSweepMs: int('INCOMPLETE_UPLOAD_SWEEP_MS', 3_600_000, 1000, 86_400_000),
      inboxRelayIntervalMs: int('INBOX_RELAY_INTERVAL_MS', 10_000, 100, 3_600_000),
      deliveryBatchMax: int('INGEST_BATCH_MAX', 200, 1, 1000),
    },
    retention: {
      sweepIntervalMs: int('RETENTION_SWEEP_INTERVAL_MS', 60_000, 100, 86_400_000),
      deleteBackoffBaseMs: int('RETENTION_DELETE_BACKOFF_BASE_MS', 30_000, 10, 3_600_000),
      holidayRegion: region('RETENTION_HOLIDAY_REGION', 'GB-ENG'),
      overdueAfterMs: int('RETENTION_OVERDUE_AFTER_MS', 86_400_000, 60_000, 30 * 86_400_000),
      audioExtractMaxBytes: int('AUDIO_EXTRACT_MAX_BYTES', 8 * 1024 ** 3, 1024 * 1024, 2 ** 45),
      imageMaxBytes: int('UPLOAD_IMAGE_MAX_BYTES', 25 * 1024 * 1024, 1024, 1024 ** 3),
      verificationVideoMaxBytes: int('UPLOAD_VERIFICATION_VIDEO_MAX_BYTES', 500 * 1024 * 1024, 1024, 16 * 1024 ** 3),
      objectReconcileGraceHours: int('OBJECT_RECONCILE_GRACE_HOURS', 24, 1, 24 * 30),
      objectReconcileIntervalMs: int('OBJECT_RECONCILE_INTERVAL_MS', 3_600_000, 100, 7 * 86_400_000),
      verificationVideoUnreviewedDays: int('VERIFICATION_VIDEO_UNREVIEWED_DAYS', 7, 1, 3650),
    },
    consent: {
      optOutReconcileIntervalMs: int('OPT_OUT_RECONCILE_INTERVAL_MS', 20_000, 100, 3_600_000),
      erasureFollowUpIntervalMs: int('ERASURE_FOLLOW_UP_INTERVAL_MS', 60_000, 100, 86_400_000),
      erasureFollowUpDays: int('ERASURE_FOLLOW_UP_DAYS', 14, 0, 365),
    },
    playback: {
      tokenTtlSeconds: int('PLAYBACK_TOKEN_TTL_SECONDS', 300, 10, 600),
    },
    sessionMatchWindowMinutes: int('SESSION_MATCH_WINDOW_MINUTES', 240, 1, 24 * 60),
    auth: {
      jwtSecret: effectiveJwtSecret,
      jwksUrl,
      issuer: str('AUTH_ISSUER'),
      audience: str('AUTH_AUDIENCE'),
      maxTokenAgeSeconds: int('AUTH_MAX_TOKEN_AGE_SECONDS', 86_400, 60, 30 * 86_400),
    },
    mediaMasterKey,
    policyProfile: oneOf<PolicyProfileName>('POLICY_PROFILE', 'tutoring', ['tutoring', 'classes']),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** `true`/`false`, a hop count, or addresses, CIDRs and proxy-addr names (`loopback`, `uniquelocal`). */
function trustProxy(raw: string): boolean | number | string {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}
