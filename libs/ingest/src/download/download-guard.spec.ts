import { checkAddress, checkUrl, parseAllowList, type AllowEntry } from './download-guard';

const DEFAULT_HOSTS = parseAllowList(['zoom.us', '*.zoom.us']);

function entryFor(url: string, allow: AllowEntry[]): AllowEntry {
  const decision = checkUrl(url, allow);
  if (!decision.allowed) throw new Error(`expected ${url} to be allowed: ${decision.reason}`);
  return decision.entry;
}

function reasonFor(url: string, allow: AllowEntry[] = DEFAULT_HOSTS): string {
  const decision = checkUrl(url, allow);
  if (decision.allowed) throw new Error(`expected ${url} to be refused`);
  return decision.reason;
}

describe('parseAllowList', () => {
  it('reads a plain host as https on 443, exact', () => {
    expect(parseAllowList(['Zoom.US'])).toEqual([
      { scheme: 'https', host: 'zoom.us', port: 443, wildcard: false, hostIsIp: false, raw: 'Zoom.US' },
    ]);
  });

  it('reads *.host as a wildcard over the suffix', () => {
    expect(parseAllowList(['*.zoom.us'])[0]).toMatchObject({ scheme: 'https', host: 'zoom.us', port: 443, wildcard: true });
  });

  it('reads http://host:port as plain http to exactly that host and port', () => {
    expect(parseAllowList(['http://127.0.0.1:9999'])[0]).toMatchObject({
      scheme: 'http',
      host: '127.0.0.1',
      port: 9999,
      wildcard: false,
      hostIsIp: true,
    });
  });

  it('reads an explicit https port and an http entry without one', () => {
    expect(parseAllowList(['files.example:8443'])[0]).toMatchObject({ scheme: 'https', port: 8443 });
    expect(parseAllowList(['http://sim.local'])[0]).toMatchObject({ scheme: 'http', port: 80 });
  });

  it('skips blanks and trims', () => {
    expect(parseAllowList([' zoom.us ', '']).map((e) => e.host)).toEqual(['zoom.us']);
  });

  it.each([['ftp://zoom.us'], ['zoom.us/path'], ['http://*.zoom.us:80'], ['*.10.0.0.1'], ['zoom.us:70000'], ['user@zoom.us']])(
    'refuses the entry %s at start-up',
    (raw) => {
      expect(() => parseAllowList([raw])).toThrow(/ZOOM_DOWNLOAD_HOSTS/);
    },
  );
});

describe('checkUrl', () => {
  it('allows https to an exact host and to any depth of a wildcard', () => {
    expect(entryFor('https://zoom.us/rec/download/abc', DEFAULT_HOSTS).wildcard).toBe(false);
    expect(entryFor('https://us06web.zoom.us/rec/download/abc', DEFAULT_HOSTS).wildcard).toBe(true);
    expect(entryFor('https://a.b.zoom.us/x', DEFAULT_HOSTS).wildcard).toBe(true);
    expect(entryFor('https://ZOOM.US:443/x', DEFAULT_HOSTS).host).toBe('zoom.us');
  });

  it('prefers an exact entry over a wildcard covering the same host', () => {
    const allow = parseAllowList(['*.zoom.us', 'files.zoom.us']);
    expect(entryFor('https://files.zoom.us/x', allow).wildcard).toBe(false);
  });

  it('does not let *.zoom.us cover zoom.us itself or look-alike domains', () => {
    const wildcardOnly = parseAllowList(['*.zoom.us']);
    expect(reasonFor('https://zoom.us/x', wildcardOnly)).toBe('host zoom.us is not in ZOOM_DOWNLOAD_HOSTS');
    expect(reasonFor('https://evilzoom.us/x')).toBe('host evilzoom.us is not in ZOOM_DOWNLOAD_HOSTS');
    expect(reasonFor('https://zoom.us.evil.com/x')).toBe('host zoom.us.evil.com is not in ZOOM_DOWNLOAD_HOSTS');
    expect(reasonFor('https://zoom.us./x')).toBe('host zoom.us. is not in ZOOM_DOWNLOAD_HOSTS');
  });

  it('refuses a host that is not listed, naming the host only', () => {
    const reason = reasonFor('https://10.0.0.5/secret/path?access_token=abc');
    expect(reason).toBe('host 10.0.0.5 is not in ZOOM_DOWNLOAD_HOSTS');
    expect(reason).not.toMatch(/secret|access_token|abc/);
  });

  it('compares hosts as written, without DNS: localhost is not 127.0.0.1', () => {
    const allow = parseAllowList(['http://127.0.0.1:9999']);
    expect(entryFor('http://127.0.0.1:9999/file', allow).scheme).toBe('http');
    expect(reasonFor('http://localhost:9999/file', allow)).toBe('host localhost is not in ZOOM_DOWNLOAD_HOSTS');
    expect(reasonFor('http://127.0.0.2:9999/file', allow)).toBe('host 127.0.0.2 is not in ZOOM_DOWNLOAD_HOSTS');
  });

  it('reads IPv4 in the forms URLs normalise (hex, single number) as the dotted address', () => {
    const allow = parseAllowList(['http://127.0.0.1:9999']);
    expect(entryFor('http://0x7f.1:9999/file', allow).host).toBe('127.0.0.1');
    expect(reasonFor('https://2130706433/x')).toBe('host 127.0.0.1 is not in ZOOM_DOWNLOAD_HOSTS');
  });

  it('refuses plain http unless an http:// entry names that host and port', () => {
    expect(reasonFor('http://zoom.us/rec/x')).toBe('plain http is not allowed for zoom.us');
    expect(reasonFor('http://a.zoom.us/rec/x')).toBe('plain http is not allowed for a.zoom.us');
    const allow = parseAllowList(['http://127.0.0.1:9999']);
    expect(reasonFor('http://127.0.0.1/file', allow)).toBe('port 80 is not allowed for 127.0.0.1');
    expect(reasonFor('http://127.0.0.1:9998/file', allow)).toBe('port 9998 is not allowed for 127.0.0.1');
  });

  it('does not turn an http:// entry into permission for https on that host', () => {
    const allow = parseAllowList(['http://127.0.0.1:9999']);
    expect(reasonFor('https://127.0.0.1:9999/file', allow)).toBe('https is not allowed for 127.0.0.1:9999');
  });

  it('refuses a port the entry does not name', () => {
    expect(reasonFor('https://zoom.us:8443/x')).toBe('port 8443 is not allowed for zoom.us');
    expect(reasonFor('https://a.zoom.us:444/x')).toBe('port 444 is not allowed for a.zoom.us');
    expect(entryFor('https://files.example:8443/x', parseAllowList(['files.example:8443'])).port).toBe(8443);
  });

  it.each([
    ['https://user:pw@zoom.us/rec/x'],
    ['https://user@zoom.us/rec/x'],
    ['https://:pw@zoom.us/rec/x'],
    ['https://:@zoom.us/rec/x'],
    ['https://zoom.us@evil.com/rec/x'],
  ])('refuses %s because it carries user info', (url) => {
    expect(reasonFor(url)).toBe('URL carries user info');
  });

  it.each([
    ['ftp://zoom.us/rec/x', 'scheme ftp is not allowed'],
    ['file:///etc/passwd', 'scheme file is not allowed'],
    ['gopher://zoom.us:70/_x', 'scheme gopher is not allowed'],
    ['javascript:alert(1)', 'scheme javascript is not allowed'],
    ['not a url', 'URL is not parsable'],
    ['https://', 'URL is not parsable'],
    ['', 'URL is not parsable'],
  ])('refuses %s', (url, reason) => {
    expect(reasonFor(url)).toBe(reason);
  });

  it('never puts the path or query into a reason', () => {
    const urls = [
      'http://zoom.us/PATHPART?q=QUERYPART',
      'https://zoom.us:1/PATHPART?q=QUERYPART',
      'https://u:p@zoom.us/PATHPART?q=QUERYPART',
      'https://other.example/PATHPART?q=QUERYPART',
      'ftp://zoom.us/PATHPART?q=QUERYPART',
    ];
    for (const url of urls) expect(reasonFor(url)).not.toMatch(/PATHPART|QUERYPART/);
  });
});

describe('checkAddress', () => {
  const zoomExact = DEFAULT_HOSTS[0];
  const zoomWildcard = DEFAULT_HOSTS[1];

  it.each([['170.114.52.2'], ['8.8.8.8'], ['2606:4700::1'], ['::ffff:8.8.8.8']])('allows the public address %s', (ip) => {
    expect(checkAddress(ip, zoomWildcard)).toEqual({ allowed: true });
    expect(checkAddress(ip, zoomExact)).toEqual({ allowed: true });
  });

  it.each([
    ['10.0.0.5', 'private'],
    ['172.20.1.1', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.10', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.0.0.2', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['0.0.0.0', 'unspecified'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fd00::1', 'uniqueLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::a00:1', 'ipv4Compatible'],
    ['64:ff9b::a00:1', 'rfc6052'],
    ['2002:a00:1::', '6to4'],
  ])('refuses %s (%s) behind a host name entry', (ip, range) => {
    const decision = checkAddress(ip, zoomWildcard);
    expect(decision).toEqual({ allowed: false, reason: expect.stringContaining(`is ${range}, not a public address`) });
    expect(checkAddress(ip, zoomExact).allowed).toBe(false);
  });

  it('names the unwrapped IPv4 address when refusing a mapped one', () => {
    expect(checkAddress('::ffff:10.0.0.1', zoomExact)).toEqual({ allowed: false, reason: 'address 10.0.0.1 is private, not a public address' });
  });

  it('refuses what is not an IP address', () => {
    expect(checkAddress('zoom.us', zoomExact)).toEqual({ allowed: false, reason: 'address zoom.us is not an IP address' });
    expect(checkAddress('10.1', zoomExact).allowed).toBe(false);
  });

  it('lets an exact http:// entry reach a non-public address (a local test double)', () => {
    const [local] = parseAllowList(['http://127.0.0.1:9999']);
    expect(checkAddress('127.0.0.1', local)).toEqual({ allowed: true });
    const [named] = parseAllowList(['http://zoom-sim:8080']);
    expect(checkAddress('172.20.0.3', named)).toEqual({ allowed: true });
  });

  it('lets an exact IP-literal entry reach only that very address', () => {
    const [literal] = parseAllowList(['10.0.0.5']);
    expect(checkAddress('10.0.0.5', literal)).toEqual({ allowed: true });
    expect(checkAddress('::ffff:10.0.0.5', literal)).toEqual({ allowed: true });
    expect(checkAddress('10.0.0.6', literal).allowed).toBe(false);
  });

  it('does not let an https name entry or a wildcard reach a non-public address', () => {
    const [named, wildcard] = parseAllowList(['files.internal', '*.internal']);
    expect(checkAddress('10.0.0.5', named).allowed).toBe(false);
    expect(checkAddress('10.0.0.5', wildcard).allowed).toBe(false);
    expect(checkAddress('169.254.169.254', wildcard).allowed).toBe(false);
  });
});
