import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { HostedFile, nextServePlan } from './hosted-file';
import { splitTarget } from './loopback-server';
import { parseRange, serveBytes } from './serve-bytes';

/**
 * The object store Zoom's download host redirects to: `GET /objects/:key?expires=…&signature=…`,
 * where the query string is the only credential (like S3 or CloudFront presigned URLs).
 */
export class SignedStorage {
  private readonly key = randomBytes(32);

  constructor(
    private readonly lookup: (key: string) => HostedFile | undefined,
    private readonly now: () => number,
    private readonly ttlSeconds = 3600,
  ) {}

  signedUrl(origin: string, key: string): string {
    const expires = String(Math.floor(this.now() / 1000) + this.ttlSeconds);
    return `${origin}/objects/${key}?expires=${expires}&signature=${this.sign(key, expires).toString('hex')}`;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { rawPath, query } = splitTarget(req.url);
    const match = /^\/objects\/([^/]+)$/.exec(rawPath);
    if (!match || (req.method !== 'GET' && req.method !== 'HEAD')) {
      return sendXml(res, 404, 'NoSuchKey', 'The specified key does not exist.');
    }
    // A header credential on top of the signed query is refused outright, as S3 does.
    if (req.headers.authorization !== undefined) {
      return sendXml(res, 400, 'InvalidArgument', 'Only one auth mechanism allowed; only the signature query parameter or the Authorization header should be specified');
    }
    const key = match[1];
    const expires = query.get('expires') ?? '';
    const given = Buffer.from(query.get('signature') ?? '', 'hex');
    const expected = this.sign(key, expires);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return sendXml(res, 403, 'AccessDenied', 'Signature does not match.');
    }
    if (Number(expires) * 1000 <= this.now()) return sendXml(res, 403, 'AccessDenied', 'Request has expired.');
    const file = this.lookup(key);
    if (!file) return sendXml(res, 404, 'NoSuchKey', 'The specified key does not exist.');

    const range = parseRange(req.headers.range, file.size);
    if (range === 'unsatisfiable') return void res.writeHead(416, { 'content-range': `bytes */${file.size}` }).end();
    const span = range ?? { start: 0, end: file.size - 1 };
    const length = Math.max(0, span.end - span.start + 1);
    res.writeHead(range ? 206 : 200, {
      'content-type': file.contentType,
      'content-length': String(length),
      'accept-ranges': 'bytes',
      ...(range ? { 'content-range': `bytes ${span.start}-${span.end}/${file.size}` } : {}),
    });
    if (req.method === 'HEAD' || length === 0) return void res.end();
    await serveBytes(res, file.source, span, nextServePlan(file), (n) => (file.bytesServed += n));
  }

  private sign(key: string, expires: string): Buffer {
    return createHmac('sha256', this.key).update(`${key}:${expires}`).digest();
  }
}

function sendXml(res: ServerResponse, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}
