import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { Clock } from '@lib/clock';
import { JobQueue } from '@lib/jobs';
import { Metrics } from '@lib/observability';
import { DeliveryInbox } from './delivery-inbox.repository';
import { MalformedDelivery, SignatureRejected } from './ingest-errors';
import { dedupeKey, parseDelivery, splitDownloadToken } from './zoom-delivery';
import { urlValidationAnswer, verifyZoomSignature } from '@lib/zoom';

export interface IncomingDelivery {
  rawBody: Buffer | undefined;
  timestampHeader: string | undefined;
  signatureHeader: string | undefined;
  /** The parsed JSON body, or undefined when it did not parse. */
  body: unknown;
  bodyIsMalformed: boolean;
}

export type IntakeAnswer = { plainToken: string; encryptedToken: string } | { status: 'accepted' | 'duplicate' | 'ignored' };

/**
 * Acknowledges Zoom within milliseconds: verify, store in the inbox, enqueue. Nothing is
 * downloaded here. When Redis is down the delivery is still acknowledged: it is in the inbox, and
 * the relay enqueues it later.
 */
@Injectable()
export class WebhookIntake {
  private readonly logger = new Logger(WebhookIntake.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly inbox: DeliveryInbox,
    private readonly jobs: JobQueue,
    private readonly metrics: Metrics,
  ) {}

  async receive(delivery: IncomingDelivery): Promise<IntakeAnswer> {
    const verdict = verifyZoomSignature({
      secret: this.config.zoom.webhookSecretToken,
      rawBody: delivery.rawBody ?? Buffer.alloc(0),
      timestampHeader: delivery.timestampHeader,
      signatureHeader: delivery.signatureHeader,
      nowMs: this.clock.now().getTime(),
      replayWindowSeconds: this.config.zoom.replayWindowSeconds,
    });
    if (!verdict.ok) {
      this.metrics.webhookDeliveries.inc({ outcome: 'unauthorized' });
      throw new SignatureRejected(verdict.reason);
    }
    if (delivery.bodyIsMalformed || !delivery.rawBody) {
      this.metrics.webhookDeliveries.inc({ outcome: 'malformed' });
      throw new MalformedDelivery('body is not valid JSON');
    }
    let parsed;
    try {
      parsed = parseDelivery(delivery.body);
    } catch (error) {
      this.metrics.webhookDeliveries.inc({ outcome: 'malformed' });
      throw error;
    }
    if (parsed.kind === 'url_validation') {
      this.metrics.webhookDeliveries.inc({ outcome: 'url_validation' });
      return urlValidationAnswer(this.config.zoom.webhookSecretToken, parsed.plainToken);
    }
    const at = this.clock.now();
    const bodySha256 = createHash('sha256').update(delivery.rawBody).digest('hex');
    if (parsed.kind === 'unknown') {
      // Recorded as ignored, with nothing of the body kept: we do not store what we do not use.
      await this.inbox.upsert({ dedupeKey: dedupeKey(parsed, delivery.rawBody), event: parsed.eventName, zoomMeetingUuid: null, body: null, bodySha256, downloadToken: null, status: 'ignored', at });
      this.metrics.webhookDeliveries.inc({ outcome: 'ignored' });
      return { status: 'ignored' };
    }
    // The download token is a secret: it is kept apart from the body, in a column cleared once
    // the delivery is processed. The hash still covers it, so a fresh token re-arms the row.
    const { body, downloadToken } = splitDownloadToken(parsed.event);
    const row = await this.inbox.upsert({
      dedupeKey: dedupeKey(parsed, delivery.rawBody),
      event: parsed.event.event,
      zoomMeetingUuid: parsed.event.payload.object.uuid,
      body,
      bodySha256,
      downloadToken,
      status: 'received',
      at,
    });
    if (!row) {
      // An identical repeat: already stored and queued (or processed). Nothing to do.
      this.metrics.webhookDeliveries.inc({ outcome: 'duplicate' });
      return { status: 'duplicate' };
    }
    if (row.status === 'received') {
      await this.jobs.enqueue('process-delivery', { deliveryId: row.id, generation: row.generation }).catch((error: Error) => {
        this.metrics.backgroundFailures.inc({ operation: 'enqueue-delivery' });
        this.logger.warn(`delivery ${row.id} stored; enqueue failed (${error.name}); the inbox relay will enqueue it`);
      });
    }
    const outcome = row.inserted ? 'accepted' : 'duplicate';
    this.metrics.webhookDeliveries.inc({ outcome });
    return { status: outcome };
  }
}
