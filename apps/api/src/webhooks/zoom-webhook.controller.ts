import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { IntakeAnswer, WebhookIntake } from '@lib/ingest';
import { ApiErrors } from '../http/api-docs';
import { Public } from '../http/access.decorators';
import { deferredJson, RawBodyRequest } from '../http/json-body';
import { ZoomDeliveryResponse, ZoomUrlValidationResponse, ZoomWebhookBody } from './zoom-webhook.schema';

export const ZOOM_WEBHOOK_PATH = '/webhooks/zoom';

@ApiTags('webhooks')
@ApiExtraModels(ZoomUrlValidationResponse, ZoomDeliveryResponse)
@Controller()
export class ZoomWebhookController {
  constructor(private readonly intake: WebhookIntake) {}

  /** Zoom's signed deliveries: URL validation and recording events. Answers within milliseconds. */
  @Public()
  @Post(ZOOM_WEBHOOK_PATH)
  @HttpCode(200)
  @ApiOperation({ summary: "Receive Zoom's signed webhook deliveries: URL validation and recording events" })
  @ApiHeader({ name: 'x-zm-signature', required: true, description: '`v0=` + HMAC-SHA256 of `v0:{timestamp}:{raw body}` under the secret token' })
  @ApiHeader({ name: 'x-zm-request-timestamp', required: true, description: 'seconds since the epoch; stale ones are refused' })
  @ApiBody({ type: ZoomWebhookBody })
  @ApiOkResponse({
    description: 'the challenge answered (URL validation), or the delivery stored, a duplicate, or ignored',
    schema: { oneOf: [{ $ref: getSchemaPath(ZoomUrlValidationResponse) }, { $ref: getSchemaPath(ZoomDeliveryResponse) }] },
  })
  @ApiErrors([400, 401, 413, 429], {
    400: 'the signed body is not a valid delivery',
    401: 'bad or missing signature, or a stale timestamp (nothing stored)',
    429: 'too many requests from this source (HTTP_PUBLIC_RATE_LIMIT_MAX per window)',
  })
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
