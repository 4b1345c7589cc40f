import type { ConnectionOptions } from 'bullmq';

/** ioredis options from a redis:// or rediss:// URL. */
export function redisConnection(redisUrl: string, extra: Record<string, unknown> = {}): ConnectionOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    ...extra,
  } as ConnectionOptions;
}
