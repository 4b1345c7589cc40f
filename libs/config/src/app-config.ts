export type RunMode = 'api' | 'worker' | 'all';
export type PolicyProfileName = 'tutoring' | 'classes';
export type CloudCopyAction = 'keep' | 'trash' | 'delete';

/** The whole service configuration, read once from the environment and validated at start-up. */
export interface AppConfig {
  readonly isDev: boolean;
  readonly nodeEnv: string;
  readonly port: number;
  readonly runMode: RunMode;
  readonly logLevel: string;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly queuePrefix: string;
  readonly s3: {
    /** Unset: the embedded local S3 server (s3rver) is used. */
    readonly endpoint?: string;
    readonly bucket: string;
    readonly region: string;
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly forcePathStyle: boolean;
    /** Server-side encryption requested on every object; `none` for servers that refuse the header. */
    readonly serverSideEncryption: 'AES256' | 'aws:kms' | 'none';
    readonly embeddedPort: number;
    readonly embeddedDataDir: string;
  };
  readonly zoom: {
    readonly webhookSecretToken: string;
    readonly replayWindowSeconds: number;
    readonly webhookMaxBodyBytes: number;
    readonly downloadHosts: readonly string[];
    readonly apiBaseUrl: string;
    readonly oauthTokenUrl: string;
    readonly accountId?: string;
    readonly clientId?: string;
    readonly clientSecret?: string;
    readonly cloudCopy: CloudCopyAction;
  };
  readonly archive: {
    readonly concurrency: number;
    readonly attempts: number;
    readonly backoffBaseMs: number;
    readonly notReadyDelayMs: number;
    readonly downloadIdleTimeoutMs: number;
    readonly maxRedirects: number;
    readonly lockDurationMs: number;
    readonly incompleteUploadMaxAgeHours: number;
    readonly incompleteUploadSweepMs: number;
    readonly inboxRelayIntervalMs: number;
  };
  readonly retention: {
    /** How often the sweep looks for what has expired (one sweep at a time across all workers). */
    readonly sweepIntervalMs: number;
    readonly deleteBackoffBaseMs: number;
    /** Region whose public and bank holidays do not count as working days (`GB-ENG`, `US`, `DE-BY`). */
    readonly holidayRegion: string;
    /** A deletion this late raises the overdue metric and shows in GET /v1/retention/status. */
    readonly overdueAfterMs: number;
    /** The local temporary copy of an MP4 whose audio is extracted (video opt-out) may not exceed this. */
    readonly audioExtractMaxBytes: number;
    readonly imageMaxBytes: number;
    readonly verificationVideoMaxBytes: number;
    /** An object no live row references is deleted once it is this old (the object reconciler). */
    readonly objectReconcileGraceHours: number;
    readonly objectReconcileIntervalMs: number;
    /** A verification video nobody reviews is deleted this many days after its upload (a review shortens it). */
    readonly verificationVideoUnreviewedDays: number;
  };
  readonly consent: {
    /** How often every worker looks for video an opt-out should have removed (the lost-job safety net). */
    readonly optOutReconcileIntervalMs: number;
    /** How often open erasures are followed up (held text released, text that arrived late). */
    readonly erasureFollowUpIntervalMs: number;
    /** How long an erasure keeps looking for late text of the person's sessions before it forgets the name. */
    readonly erasureFollowUpDays: number;
  };
  readonly sessionMatchWindowMinutes: number;
  readonly auth: {
    readonly jwtSecret?: string;
    readonly jwksUrl?: string;
    readonly issuer?: string;
    readonly audience?: string;
  };
  readonly mediaMasterKey: Buffer;
  readonly policyProfile: PolicyProfileName;
}
