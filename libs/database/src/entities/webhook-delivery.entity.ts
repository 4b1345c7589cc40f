import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type DeliveryStatus = 'received' | 'processed' | 'ignored' | 'failed';

/**
 * The webhook inbox: every accepted Zoom delivery, stored before we answer. Retries and repeated
 * events share a dedupe key and collapse into one row; a relay re-enqueues rows whose job never
 * reached Redis.
 */
@Entity('webhook_deliveries')
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'text', name: 'dedupe_key', unique: true }) dedupeKey: string;
  @Column({ type: 'text' }) event: string;
  @Column({ type: 'text', name: 'zoom_meeting_uuid', nullable: true }) zoomMeetingUuid: string | null;
  /** The parsed body; null for ignored events (we keep nothing we do not use). */
  @Column({ type: 'jsonb', nullable: true, select: false }) body: unknown;
  @Column({ type: 'text' }) status: DeliveryStatus;
  @Column({ type: 'integer', name: 'delivery_count', default: 1 }) deliveryCount: number;
  @Column({ type: 'timestamptz', name: 'received_at', precision: 3 }) receivedAt: Date;
  @Column({ type: 'timestamptz', name: 'last_received_at', precision: 3 }) lastReceivedAt: Date;
  @Column({ type: 'timestamptz', name: 'processed_at', precision: 3, nullable: true }) processedAt: Date | null;
  @Column({ type: 'text', nullable: true }) error: string | null;
  /** The raw body's hash: an identical repeat is recognised with one index lookup. */
  @Column({ type: 'text', name: 'body_sha256', nullable: true }) bodySha256: string | null;
  /** Zoom's download token, never inside the body; cleared once the delivery is processed. */
  @Column({ type: 'text', name: 'download_token', nullable: true, select: false }) downloadToken: string | null;
  /** Bumped whenever the row is re-armed: the process job's id carries it. */
  @Column({ type: 'integer', default: 0 }) generation: number;
  @Column({ type: 'integer', default: 0 }) redrives: number;
  @Column({ type: 'timestamptz', name: 'next_attempt_at', precision: 3, nullable: true }) nextAttemptAt: Date | null;
  @Column({ type: 'timestamptz', name: 'gave_up_at', precision: 3, nullable: true }) gaveUpAt: Date | null;
}
