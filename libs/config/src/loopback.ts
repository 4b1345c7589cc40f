import { isIP } from 'node:net';
import type { AppConfig } from './app-config';

/**
 * Whether a host name or address reaches this machine only: `localhost`, 127.0.0.0/8, ::1 (and
 * ::ffff:127.x). Compared as written, without DNS, like the download allow-list.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h) || /^0{0,4}(:0{0,4}){6}:0{0,3}1$/.test(h);
  return false;
}

/**
 * Why the service may not listen where it is told to, or null. The development secrets are
 * published in this repository: anyone who can reach a port served with them can forge tokens and
 * webhooks, so such a service stays on loopback.
 */
export function listenProblem(config: Pick<AppConfig, 'host' | 'devSecrets'>): string | null {
  if (config.devSecrets.length === 0 || isLoopbackHost(config.host)) return null;
  return (
    `HOST=${config.host} is not a loopback address, and the development value of ${config.devSecrets.join(', ')} is in effect: ` +
    'set real secrets, or listen on 127.0.0.1'
  );
}
