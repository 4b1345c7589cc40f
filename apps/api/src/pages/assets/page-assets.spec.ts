import { Script } from 'node:vm';
import { feedbackPageHtml } from './feedback-page.html';
import { FEEDBACK_PAGE_JS } from './feedback-page.js';
import { PAGE_KIT_JS } from './page-kit.js';
import { REVIEW_FACTS_JS } from './review-facts.js';
import { reviewPageHtml } from './review-page.html';
import { REVIEW_PAGE_JS } from './review-page.js';
import { TALK_CHART_JS } from './talk-chart.js';

// The pages' CSP (script-src 'self'; style-src 'self') refuses anything inline, and a script kept
// as a string is never seen by the compiler: both mistakes would only show in a browser.
describe('the assets of the pages for people', () => {
  it.each([
    ['page-kit.js', PAGE_KIT_JS],
    ['review.js', REVIEW_PAGE_JS],
    ['review-facts.js', REVIEW_FACTS_JS],
    ['talk-chart.js', TALK_CHART_JS],
    ['feedback.js', FEEDBACK_PAGE_JS],
  ])('%s is a script that parses, with nothing left of the template it lives in', (_name, js) => {
    expect(() => new Script(js)).not.toThrow();
    expect(js).not.toMatch(/\$\{|`/);
    expect(js).not.toMatch(/console\.|innerHTML|eval\(/);
  });

  it.each([
    ['review', reviewPageHtml('00000000-0000-4000-8000-000000000000')],
    ['feedback', feedbackPageHtml('tutor-1')],
  ])('the %s page has no inline script, style or handler', (_name, html) => {
    expect(html.match(/<script[^>]*>/g)?.every((tag) => / src="\/assets\/[a-z.-]+\.js"/.test(tag))).toBe(true);
    expect(html).not.toMatch(/<style| style=| on[a-z]+=/i);
  });
});
