import { Injectable } from '@nestjs/common';
import { DeliveryStatus, Sql } from '@lib/database';

export interface InboxUpsert {
  dedupeKey: string;
  event: string;
  zoomMeetingUuid: string | null;
  body: unknown;
  /** sha256 of the raw body: tells an identical repeat from one carrying a fresh token. */
  bodySha256: string;
  status: 'received' | 'ignored';
  at: Date;
}

export interface StoredDelivery {
  id: string;
  event: string;
  body: unknown;
  status: DeliveryStatus;
  lastReceivedAt: Date;
}

/** The webhook inbox table: written before Zoom gets its answer, read by the ingest job and the relay. */
@Injectable()
export class DeliveryInbox {
  constructor(private readonly sql: Sql) {}

  /**
   * Inserts the delivery or folds it into the row with the same dedupe key. A repeat whose body
   * differs (a fresh download token) replaces the body and goes back to `received`, to be processed
   * again. An identical repeat changes nothing and answers null: one index lookup, no row lock, no
   * write, so a burst of duplicates never queues behind itself.
   */
  async upsert(d: InboxUpsert): Promise<{ id: string; status: DeliveryStatus; inserted: boolean } | null> {
    const body = d.body === null ? null : JSON.stringify(d.body);
    const rows: Array<{ id: string; status: DeliveryStatus; inserted: boolean }> = await this.sql.rows(
      `WITH inserted AS (
         INSERT INTO webhook_deliveries (dedupe_key, event, zoom_meeting_uuid, body, body_sha256, status, received_at, last_received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
         ON CONFLICT (dedupe_key) DO NOTHING
         RETURNING id, status, true AS inserted
       ), changed AS (
         UPDATE webhook_deliveries w SET body = $4, body_sha256 = $5, delivery_count = w.delivery_count + 1,
           last_received_at = $7, status = 'received'
         WHERE w.dedupe_key = $1 AND w.status <> 'ignored' AND w.body_sha256 IS DISTINCT FROM $5
           AND NOT EXISTS (SELECT 1 FROM inserted)
         RETURNING w.id, w.status, false AS inserted
       )
       SELECT * FROM inserted UNION ALL SELECT * FROM changed`,
      [d.dedupeKey, d.event, d.zoomMeetingUuid, body, d.bodySha256, d.status, d.at],
    );
    return rows[0] ?? null;
  }

  async load(id: string): Promise<StoredDelivery | null> {
    const rows = await this.sql.rows(
      'SELECT id, event, body, status, last_received_at FROM webhook_deliveries WHERE id = $1',
      [id],
    );
    if (rows.length === 0) return null;
    const r = rows[0];
    return { id: r.id, event: r.event, body: r.body, status: r.status, lastReceivedAt: r.last_received_at };
  }

  /** Marks it processed unless a newer copy arrived meanwhile (that one is processed next). */
  async markProcessed(id: string, lastReceivedAt: Date, at: Date): Promise<void> {
    await this.sql.rows(
      `UPDATE webhook_deliveries SET status = 'processed', processed_at = $3, error = NULL
       WHERE id = $1 AND last_received_at = $2 AND status = 'received'`,
      [id, lastReceivedAt, at],
    );
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.sql.rows(`UPDATE webhook_deliveries SET status = 'failed', error = $2 WHERE id = $1`, [id, error.slice(0, 500)]);
  }

  /** Deliveries acknowledged but not processed for a while: their job may never have reached Redis. */
  async waiting(olderThan: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.sql.rows(
      `SELECT id FROM webhook_deliveries WHERE status = 'received' AND last_received_at < $1
       ORDER BY last_received_at LIMIT $2`,
      [olderThan, limit],
    );
    return rows.map((r) => r.id);
  }
}
