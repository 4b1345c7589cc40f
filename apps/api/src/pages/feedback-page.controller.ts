import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/access.decorators';
import { PERSON_ID } from '../http/person-id';
import { FEEDBACK_PAGE_CSS } from './assets/feedback-page.css';
import { feedbackPageHtml } from './assets/feedback-page.html';
import { FEEDBACK_PAGE_JS } from './assets/feedback-page.js';
import { TALK_CHART_JS } from './assets/talk-chart.js';
import { asPage, PageAsset } from './page-response';

/**
 * The tutor's feedback page (CONTRACT "Pages for people", issue 13 item 5): served without a
 * bearer token — the page takes it from the URL fragment and calls
 * `GET /v1/tutors/{tutorId}/feedback` with it, which decides who may read what — under the
 * per-source page limit (edge-limits.ts covers `/feedback/`). Not part of the API description.
 */
@ApiExcludeController()
@Controller()
export class FeedbackPageController {
  @Get('feedback/:tutorId')
  @Public()
  page(@Param('tutorId') tutorId: string, @Res({ passthrough: true }) reply: FastifyReply): string {
    if (!PERSON_ID.test(tutorId)) throw new NotFoundException('tutor not found');
    asPage(reply);
    return feedbackPageHtml(tutorId);
  }

  @PageAsset('assets/feedback.js', 'text/javascript')
  script(): string {
    return FEEDBACK_PAGE_JS;
  }

  @PageAsset('assets/talk-chart.js', 'text/javascript')
  chart(): string {
    return TALK_CHART_JS;
  }

  @PageAsset('assets/feedback.css', 'text/css')
  styles(): string {
    return FEEDBACK_PAGE_CSS;
  }
}
