import { Controller, Get, Header, NotFoundException, Param, Res, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createReadStream } from 'node:fs';
import { Public } from '../http/access.decorators';
import { REVIEW_FACTS_JS } from './assets/review-facts.js';
import { REVIEW_PAGE_CSS } from './assets/review-page.css';
import { reviewPageHtml } from './assets/review-page.html';
import { REVIEW_PAGE_JS } from './assets/review-page.js';
import { asPage, PageAsset } from './page-response';
import { isUuid } from '@lib/database';

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
    if (!isUuid(id)) throw new NotFoundException('recording not found');
    asPage(reply);
    return reviewPageHtml(id.toLowerCase());
  }

  @PageAsset('assets/review.js', 'text/javascript')
  script(): string {
    return REVIEW_PAGE_JS;
  }

  @PageAsset('assets/review-facts.js', 'text/javascript')
  facts(): string {
    return REVIEW_FACTS_JS;
  }

  @PageAsset('assets/review.css', 'text/css')
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
