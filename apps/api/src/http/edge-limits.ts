import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import rateLimit from '@fastify/rate-limit';
import type { RouteOptions } from 'fastify';
import type { AppConfig } from '@lib/config';

/** Pages for people: served without authentication (CONTRACT "Pages for people"). */
const PUBLIC_PAGE_PREFIXES = ['/review/', '/feedback/'];

/**
 * Routes anyone may call without a token, so the ones a flood targets: Zoom's webhook (refused
 * after a cheap HMAC, but still work per request) and the pages. Health and metrics stay
 * unlimited: probes and scrapers call them from one address all day.
 */
export function isUnauthenticatedEdgeRoute(routeUrl: string, webhookPath: string): boolean {
  return routeUrl === webhookPath || PUBLIC_PAGE_PREFIXES.some((prefix) => routeUrl.startsWith(prefix));
}

/**
 * A per-source request limit on those routes (429 past it, logged through DomainErrorFilter and
 * so sampled by RefusalLog like 401s), counted by the request's address as
 * `TRUST_PROXY` lets Fastify read it. HTTP_PUBLIC_RATE_LIMIT_MAX=0 turns it off (benchmarks).
 * Must run before the routes are registered (before `init`/`listen`).
 */
export async function installEdgeLimits(app: NestFastifyApplication, config: AppConfig, webhookPath: string): Promise<void> {
  const { publicRateLimitMax: max, publicRateLimitWindowMs: timeWindow } = config.edge;
  if (max === 0) return;
  const fastify = app.getHttpAdapter().getInstance();
  // Ours first: it marks the routes the plugin's own onRoute hook then limits (global: false).
  fastify.addHook('onRoute', (route: RouteOptions) => {
    if (isUnauthenticatedEdgeRoute(route.url, webhookPath)) route.config = { ...(route.config as object), rateLimit: {} } as never;
  });
  await app.register(rateLimit as never, {
    global: false,
    max,
    timeWindow,
    errorResponseBuilder: (_request: unknown, context: { statusCode: number; after: string }) => ({
      statusCode: context.statusCode,
      message: `too many requests from this source; retry in ${context.after}`,
    }),
  });
}
