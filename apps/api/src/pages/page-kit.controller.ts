import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PAGE_KIT_JS } from './assets/page-kit.js';
import { PageAsset } from './page-response';

/** The script every page for people loads first (token from the fragment, API calls, text helpers). */
@ApiExcludeController()
@Controller()
export class PageKitController {
  @PageAsset('assets/page-kit.js', 'text/javascript')
  script(): string {
    return PAGE_KIT_JS;
  }
}
