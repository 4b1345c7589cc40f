import * as ipaddr from 'ipaddr.js';

/**
 * One parsed `ZOOM_DOWNLOAD_HOSTS` entry. `host` is the canonical host (for a wildcard, the
 * suffix after `*.`); `port` is explicit or the scheme's default.
 */
export interface AllowEntry {
  readonly scheme: 'https' | 'http';
  readonly host: string;
  readonly port: number;
  readonly wildcard: boolean;
  /** The host is written as an IP address (a literal, not a name to resolve). */
  readonly hostIsIp: boolean;
  /** The entry as the operator wrote it, for messages. */
  readonly raw: string;
}

export type GuardDecision = { allowed: true; entry: AllowEntry } | { allowed: false; reason: string };
export type AddressDecision = { allowed: true } | { allowed: false; reason: string };

const DEFAULT_PORT = { https: 443, http: 80 } as const;
const ENTRY_SHAPE = /^(?:(https?):\/\/)?(\*\.)?([a-z0-9.-]+)(?::(\d{1,5}))?$/i;
// Userinfo is checked on the raw text too: `https://:@host/` parses to an empty username and
// password, so the parsed URL alone cannot tell it was there.
const RAW_USERINFO = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\\]*@/i;

/**
 * Parses the operator's allow-list. Throws on an entry it cannot read: a typo here must stop
 * start-up rather than silently allow less (or more) than intended.
 */
export function parseAllowList(entries: readonly string[]): AllowEntry[] {
  return entries.map((raw) => raw.trim()).filter(Boolean).map(parseEntry);
}

function parseEntry(raw: string): AllowEntry {
  const m = ENTRY_SHAPE.exec(raw);
  if (!m) throw new Error(`ZOOM_DOWNLOAD_HOSTS entry "${raw}" is not a host, *.host or http://host:port`);
  const scheme = (m[1]?.toLowerCase() ?? 'https') as 'https' | 'http';
  const wildcard = Boolean(m[2]);
  // "Plain http to exactly that host:port": a wildcard would make it a whole zone.
  if (wildcard && scheme === 'http') throw new Error(`ZOOM_DOWNLOAD_HOSTS entry "${raw}": http:// entries cannot be wildcards`);
  const host = canonicalHost(m[3]);
  if (host === null) throw new Error(`ZOOM_DOWNLOAD_HOSTS entry "${raw}" has an invalid host`);
  const port = m[4] === undefined ? DEFAULT_PORT[scheme] : Number(m[4]);
  if (port < 1 || port > 65535) throw new Error(`ZOOM_DOWNLOAD_HOSTS entry "${raw}" has an invalid port`);
  const hostIsIp = isIpLiteral(host);
  if (wildcard && hostIsIp) throw new Error(`ZOOM_DOWNLOAD_HOSTS entry "${raw}": a wildcard needs a domain name`);
  return { scheme, host, port, wildcard, hostIsIp, raw };
}

/** Canonicalises a host the way URLs are (lower case, IPv4 in dotted form) so both sides compare alike. */
function canonicalHost(host: string): string | null {
  try {
    const hostname = new URL(`https://${host}/`).hostname;
    return hostname === '' ? null : hostname;
  } catch {
    return null;
  }
}

/** Decides whether a URL may be requested at all, before any DNS or connection. */
export function checkUrl(url: string, allow: readonly AllowEntry[]): GuardDecision {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse('URL is not parsable');
  }
  const scheme = parsed.protocol.slice(0, -1).toLowerCase();
  if (scheme !== 'https' && scheme !== 'http') return refuse(`scheme ${scheme.slice(0, 20)} is not allowed`);
  if (parsed.username || parsed.password || RAW_USERINFO.test(url.trim())) return refuse('URL carries user info');

  const host = parsed.hostname;
  const port = parsed.port ? Number(parsed.port) : DEFAULT_PORT[scheme];
  const sameHost = allow.filter((entry) => hostMatches(entry, host));
  if (sameHost.length === 0) return refuse(`host ${host} is not in ZOOM_DOWNLOAD_HOSTS`);

  const fits = sameHost.filter((entry) => entry.scheme === scheme && entry.port === port);
  // An exact entry wins over a wildcard: only exact entries may reach non-public addresses.
  const entry = fits.find((e) => !e.wildcard) ?? fits[0];
  if (entry) return { allowed: true, entry };
  if (scheme === 'http' && !sameHost.some((e) => e.scheme === 'http')) return refuse(`plain http is not allowed for ${host}`);
  if (scheme === 'https' && !sameHost.some((e) => e.scheme === 'https')) return refuse(`https is not allowed for ${host}:${port}`);
  return refuse(`port ${port} is not allowed for ${host}`);
}

function hostMatches(entry: AllowEntry, host: string): boolean {
  if (!entry.wildcard) return entry.host === host;
  // `*.zoom.us` covers a.zoom.us and a.b.zoom.us, not zoom.us itself nor evilzoom.us.
  return !isIpLiteral(host) && host.endsWith(`.${entry.host}`) && host.length > entry.host.length + 1;
}

/**
 * Decides whether a connection may go to `ip` (what the URL's host resolved to, or the literal).
 * Only public unicast is allowed, except when the operator named this very destination: an exact
 * `http://host:port` entry (a local test double), or an exact entry that is the address itself.
 */
export function checkAddress(ip: string, entry: AllowEntry): AddressDecision {
  const address = parseAddress(ip);
  if (address === null) return refuse(`address ${ip.slice(0, 64)} is not an IP address`);
  const range = rangeOf(address);
  if (range === 'unicast') return { allowed: true };
  if (!entry.wildcard && (entry.scheme === 'http' || (entry.hostIsIp && sameAddress(entry.host, address)))) {
    return { allowed: true };
  }
  return refuse(`address ${address.toString()} is ${range}, not a public address`);
}

function parseAddress(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  // ipaddr.js also reads shorthand IPv4 ("10.1", "0x0a000001"); only accept what resolvers and URLs produce.
  if (!ipaddr.IPv4.isValidFourPartDecimal(bare) && !ipaddr.IPv6.isValid(bare)) return null;
  // Unwraps ::ffff:a.b.c.d so a mapped private address is judged as the private address it is.
  return ipaddr.process(bare);
}

function rangeOf(address: ipaddr.IPv4 | ipaddr.IPv6): string {
  const range = address.range();
  // Deprecated IPv4-compatible ::a.b.c.d reads as unicast to ipaddr.js but embeds an IPv4 address.
  if (range === 'unicast' && address.kind() === 'ipv6' && (address as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0)) {
    return 'ipv4Compatible';
  }
  return range;
}

function sameAddress(literal: string, address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  const other = parseAddress(literal);
  return other !== null && other.kind() === address.kind() && other.toNormalizedString() === address.toNormalizedString();
}

/** True for an IPv4 dotted quad or a bracketed/bare IPv6 literal. */
export function isIpLiteral(host: string): boolean {
  return parseAddress(host) !== null;
}

function refuse(reason: string): { allowed: false; reason: string } {
  return { allowed: false, reason };
}
