import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { Clock } from '@lib/clock';
import { Metrics } from '@lib/observability';
import { InboxGroupCommit } from './inbox-group-commit';
import { RecentDeliveries } from './recent-deliveries';
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
 * Acknowledges Zoom within milliseconds: verify, store in the inbox and enqueue (both by group
 * commit with the deliveries arriving alongside). Nothing is downloaded here. When Redis is down
 * the delivery is still acknowledged: it is in the inbox, and the relay enqueues it later.
 */
@Injectable()
export class WebhookIntake {
  private readonly recent: RecentDeliveries;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly inbox: InboxGroupCommit,
    private readonly metrics: Metrics,
  ) {
    this.recent = new RecentDeliveries(config.zoom.webhookRepeatMemorySeconds, clock);
  }

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
    if (!delivery.rawBody) throw this.malformed(new MalformedDelivery('body is not valid JSON'));
    // A byte-identical repeat of a delivery stored lately: nothing to parse, nothing to write.
    const bodySha256 = createHash('sha256').update(delivery.rawBody).digest('hex');
    const repeat = this.recent.repeatOf(bodySha256);
    if (repeat) {
      this.metrics.webhookDeliveries.inc({ outcome: repeat });
      return { status: repeat };
    }
    if (delivery.bodyIsMalformed) throw this.malformed(new MalformedDelivery('body is not valid JSON'));
    let parsed;
    try {
      parsed = parseDelivery(delivery.body);
    } catch (error) {
      throw this.malformed(error as Error);
    }
    if (parsed.kind === 'url_validation') {
      this.metrics.webhookDeliveries.inc({ outcome: 'url_validation' });
      return urlValidationAnswer(this.config.zoom.webhookSecretToken, parsed.plainToken);
    }
    const at = this.clock.now();
    if (parsed.kind === 'unknown') {
      // Recorded as ignored, with nothing of the body kept: we do not store what we do not use.
      await this.inbox.store({ dedupeKey: dedupeKey(parsed, delivery.rawBody), event: parsed.eventName, zoomMeetingUuid: null, body: null, bodySha256, downloadToken: null, status: 'ignored', at });
      this.recent.remember(bodySha256, 'ignored');
      this.metrics.webhookDeliveries.inc({ outcome: 'ignored' });
      return { status: 'ignored' };
    }
    // The download token is a secret: it is kept apart from the body, in a column cleared once
    // the delivery is processed. The hash still covers it, so a fresh token re-arms the row.
    const { body, downloadToken } = splitDownloadToken(parsed.event);
    const row = await this.inbox.store({
      dedupeKey: dedupeKey(parsed, delivery.rawBody),
      event: parsed.event.event,
      zoomMeetingUuid: parsed.event.payload.object.uuid,
      body,
      bodySha256,
      downloadToken,
      status: 'received',
      at,
    });
    // Stored (or already there with this very body): a repeat of these bytes has nothing to add.
    this.recent.remember(bodySha256, 'duplicate');
    const outcome = row?.inserted ? 'accepted' : 'duplicate';
    this.metrics.webhookDeliveries.inc({ outcome });
    return { status: outcome };
  }

  /** Counted, then thrown by the caller: a body that is not a delivery (400). */
  private malformed(error: Error): Error {
    this.metrics.webhookDeliveries.inc({ outcome: 'malformed' });
    return error;
  }
}
