import { applyDecorators, Get, Header } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/access.decorators';

/** Self only; media from MSE blobs and posters from our own routes; no framing, no inline script or style. */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; media-src 'self' blob:; img-src 'self' data:; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The headers of a page for people (CONTRACT "Pages for people"). Set by the handler once the path
 * is valid, so a refusal keeps the JSON error answer.
 */
export function asPage(reply: FastifyReply): void {
  void reply
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Content-Security-Policy', PAGE_CSP)
    .header('Cache-Control', 'no-store, private')
    .header('Referrer-Policy', 'no-referrer')
    .header('X-Content-Type-Options', 'nosniff');
}

/** A page's own script or style sheet: public, revalidated on each load, never sniffed. */
export const PageAsset = (path: string, type: 'text/javascript' | 'text/css') =>
  applyDecorators(
    Get(path),
    Public(),
    Header('Content-Type', `${type}; charset=utf-8`),
    Header('Cache-Control', 'no-cache'),
    Header('X-Content-Type-Options', 'nosniff'),
  );
