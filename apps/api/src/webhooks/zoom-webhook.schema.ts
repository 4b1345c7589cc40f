import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * What Zoom sends (its own envelope; https://developers.zoom.us/docs/api/webhooks/). Documentation
 * only: the body is checked by its signature first and parsed by the intake, not by a DTO pipe.
 */
export class ZoomWebhookBody {
  @ApiProperty({
    example: 'recording.completed',
    description:
      'endpoint.url_validation, recording.completed, recording.transcript_completed, recording.trashed, recording.deleted, recording.recovered; others are ignored',
  })
  event: string;
  @ApiPropertyOptional({ type: 'integer', description: 'milliseconds since the epoch' }) event_ts?: number;
  @ApiPropertyOptional({ description: 'recording events: a short-lived token for downloading the files (never stored in full bodies)' })
  download_token?: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'url_validation: `{plainToken}`; recording events: `{account_id, object}`' })
  payload: Record<string, unknown>;
}

/** Answer to `endpoint.url_validation` (Zoom's challenge). */
export class ZoomUrlValidationResponse {
  @ApiProperty() plainToken: string;
  @ApiProperty({ description: 'HMAC-SHA256 of plainToken under the webhook secret token, hex' }) encryptedToken: string;
}

/** Answer to any other signed delivery: it is in the inbox (or was already, or is of no interest). */
export class ZoomDeliveryResponse {
  @ApiProperty({ enum: ['accepted', 'duplicate', 'ignored'] }) status: string;
}
