export type RunMode = 'api' | 'worker' | 'all';
export type PolicyProfileName = 'tutoring' | 'classes';
export type CloudCopyAction = 'keep' | 'trash' | 'delete';

/** The whole service configuration, read once from the environment and validated at start-up. */
export interface AppConfig {
  readonly isDev: boolean;
  readonly nodeEnv: string;
  readonly port: number;
  /** Address the HTTP server binds (HOST); loopback by default while development secrets are in effect. */
  readonly host: string;
  /** Secrets still at their published development values (variable names); empty in a real deployment. */
  readonly devSecrets: readonly string[];
  /** Protections at the unauthenticated edge (docs/security.md). */
  readonly edge: {
    /** Requests per source per window on unauthenticated routes (webhook, pages); 0 turns the limit off. */
    readonly publicRateLimitMax: number;
    readonly publicRateLimitWindowMs: number;
    /** Refusals (401/429) are logged once per source per interval, then summarised with a count. */
    readonly refusalLogIntervalMs: number;
    /** Fastify's trustProxy: which hops may set X-Forwarded-For (the source the limits count by). */
    readonly trustProxy: boolean | number | string;
  };
  readonly media: {
    /** An ffprobe run that has not finished by then is killed and the media counts as unreadable. */
    readonly probeTimeoutMs: number;
    /** Pictures larger than this many pixels (width × height) are refused (decompression bombs). */
    readonly maxImagePixels: number;
    /** Stored videos (and audio-only recordings) are packaged as encrypted HLS for reviewers (issue 12). */
    readonly streamPackaging: boolean;
  };
  readonly runMode: RunMode;
  readonly logLevel: string;
  readonly databaseUrl: string;
  /** `cli migrate` connects with this (the tables' owner); unset: DATABASE_URL, which then owns everything (quickstart). */
  readonly databaseMigrationUrl: string;
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
    /**
     * Group commit of the webhook inbox: deliveries arriving within this many milliseconds are
     * written in one statement and queued in one round trip (0: those of one event-loop turn).
     */
    readonly webhookGroupCommitMs: number;
    /** At most this many deliveries in one group commit. */
    readonly webhookGroupCommitMax: number;
    /**
     * A byte-identical repeat of a delivery this process stored within this many seconds is
     * answered `duplicate` without a database round trip (0: always ask the database).
     */
    readonly webhookRepeatMemorySeconds: number;
    /** Files Zoom sends without `file_size` (CC, timeline) may not exceed this many bytes. */
    readonly maxUnsizedFileBytes: number;
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
    /**
     * A worker ingests the deliveries queued for it together, at most this many in one transaction
     * (docs/ingest.md#batched-ingest); it holds twice as many ingest jobs at once. 1: one by one.
     */
    readonly deliveryBatchMax: number;
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
  readonly playback: {
    /** Lifetime of a playback token (the URI credential of a stream); at most 600 (CONTRACT: ≤ 10 minutes). */
    readonly tokenTtlSeconds: number;
  };
  readonly sessionMatchWindowMinutes: number;
  readonly auth: {
    readonly jwtSecret?: string;
    readonly jwksUrl?: string;
    readonly issuer?: string;
    readonly audience?: string;
    /** A token's lifetime (exp − iat, or exp − now without iat) may not exceed this. */
    readonly maxTokenAgeSeconds: number;
  };
  readonly mediaMasterKey: Buffer;
  readonly analysis: {
    /** Talk time and safety signals are computed after archive and when a transcript arrives later (issue 13). */
    readonly enabled: boolean;
    /** The platform's own domains (and their subdomains): links and emails on them are never contact details (PLATFORM_DOMAINS). */
    readonly platformDomains: readonly string[];
    /** Kinds of breach that place a safety hold on the recording automatically (SAFETY_AUTO_HOLD_KINDS; empty: none). */
    readonly autoHoldKinds: readonly string[];
    /** How many of a tutor's latest sessions their feedback trends cover (FEEDBACK_TREND_SESSIONS). */
    readonly trendSessions: number;
    /** The most bytes of a transcript or chat log read for analysis (larger files are recorded as malformed). */
    readonly maxTextBytes: number;
  };
  readonly audit: {
    /** How often the elected sealer chains committed audit events (AUDIT_SEAL_INTERVAL_MS). */
    readonly sealIntervalMs: number;
    /** How often the chain's head is anchored in the bucket, at most (AUDIT_ANCHOR_INTERVAL_MS). */
    readonly anchorIntervalMs: number;
    /** An event unsealed longer than this raises the alert line (AUDIT_UNSEALED_ALERT_MS). */
    readonly unsealedAlertMs: number;
    /** AUDIT_ANCHOR_KEY (base64, 32 bytes); null: derived from MEDIA_MASTER_KEY. Never in the database. */
    readonly anchorKey: Buffer | null;
  };
  readonly review: {
    /** The share of sessions (0–1) sampled into the review queue for quality review (REVIEW_SAMPLE_SHARE). */
    readonly sampleShare: number;
  };
  readonly policyProfile: PolicyProfileName;
}
