import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IntakeAnswer, WebhookIntake } from '@lib/ingest';
import { Public } from '../http/access.decorators';
import { deferredJson, RawBodyRequest } from '../http/json-body';

export const ZOOM_WEBHOOK_PATH = '/webhooks/zoom';

@ApiExcludeController()
@Controller()
export class ZoomWebhookController {
  constructor(private readonly intake: WebhookIntake) {}

  /** Zoom's signed deliveries: URL validation and recording events. Answers within milliseconds. */
  @Public()
  @Post(ZOOM_WEBHOOK_PATH)
  @HttpCode(200)
  receive(@Req() request: RawBodyRequest): Promise<IntakeAnswer> {
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    // Parsed only when the intake first reads it, which it does after checking the signature:
    // unsigned bytes are refused (401) without being parsed (test/webhook-parse-order.e2e-spec.ts).
    const json = deferredJson(request.rawBody);
    return this.intake.receive({
      rawBody: request.rawBody,
      timestampHeader: header('x-zm-request-timestamp'),
      signatureHeader: header('x-zm-signature'),
      get body() {
        return json.value;
      },
      get bodyIsMalformed() {
        return json.malformed;
      },
    });
  }
}
