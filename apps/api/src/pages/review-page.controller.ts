import { Controller, Get, Header, NotFoundException, Param, Res, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createReadStream } from 'node:fs';
import { Public } from '../http/access.decorators';
import { REVIEW_PAGE_CSS } from './assets/review-page.css';
import { reviewPageHtml } from './assets/review-page.html';
import { REVIEW_PAGE_JS } from './assets/review-page.js';

/** Self only; media from MSE blobs and posters from our own routes; no framing, no inline script. */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; media-src 'self' blob:; img-src 'self' data:; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Served from the installed package (a runtime dependency), never from a CDN.
const HLS_JS = require.resolve('hls.js/dist/hls.min.js');

/**
 * The reviewer's page (CONTRACT "Pages for people"): served without a bearer token — the page takes
 * it from the URL fragment and calls the API with it — under the per-source page limit
 * (edge-limits.ts covers `/review/`). Not part of the API description.
 */
@ApiExcludeController()
@Controller()
export class ReviewPageController {
  @Get('review/:id')
  @Public()
  page(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): string {
    // Headers set only once the id is valid, so a refusal keeps the JSON error answer.
    if (!UUID.test(id)) throw new NotFoundException('recording not found');
    void reply
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Content-Security-Policy', PAGE_CSP)
      .header('Cache-Control', 'no-store, private')
      .header('Referrer-Policy', 'no-referrer')
      .header('X-Content-Type-Options', 'nosniff');
    return reviewPageHtml(id.toLowerCase());
  }

  @Get('assets/review.js')
  @Public()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  @Header('X-Content-Type-Options', 'nosniff')
  script(): string {
    return REVIEW_PAGE_JS;
  }

  @Get('assets/review.css')
  @Public()
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  @Header('X-Content-Type-Options', 'nosniff')
  styles(): string {
    return REVIEW_PAGE_CSS;
  }

  @Get('assets/hls.min.js')
  @Public()
  @Header('Cache-Control', 'public, max-age=86400')
  @Header('X-Content-Type-Options', 'nosniff')
  hls(): StreamableFile {
    return new StreamableFile(createReadStream(HLS_JS), { type: 'text/javascript; charset=utf-8' });
  }
}
