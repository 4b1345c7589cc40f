import { Logger } from '@nestjs/common';

export interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** How often one queue's errors are logged: Redis down means an error per reconnect attempt. */
const LOG_EVERY_MS = 60_000;

/**
 * Listens to a BullMQ queue's or worker's `error` events (an unheard one would crash the process):
 * each is counted, and logged at most once a minute per queue and source, by its class and code.
 * Errors from Redis carry no personal data (jobs carry ids), but the message is still not logged
 * whole: a connection error names addresses.
 */
export function watchQueueErrors(
  emitter: ErrorEmitter,
  queue: string,
  source: 'queue' | 'worker',
  count: (labels: { queue: string; source: string }) => void,
  logger: Logger,
  now: () => number,
): void {
  let lastLogged = -Infinity;
  let suppressed = 0;
  emitter.on('error', (error: Error) => {
    count({ queue, source });
    const at = now();
    if (at - lastLogged < LOG_EVERY_MS) {
      suppressed += 1;
      return;
    }
    const code = (error as { code?: string }).code;
    const more = suppressed > 0 ? ` (${suppressed} more since the last report)` : '';
    logger.warn(`${source} of queue ${queue}: ${error.name}${code ? ` ${code}` : ''}${more}`);
    lastLogged = at;
    suppressed = 0;
  });
}
