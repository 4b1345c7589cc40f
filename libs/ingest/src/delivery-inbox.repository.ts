import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DeliveryStatus } from '@lib/database';

export interface InboxUpsert {
  dedupeKey: string;
  event: string;
  zoomMeetingUuid: string | null;
  body: unknown;
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
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Inserts the delivery or folds it into the row with the same dedupe key. A repeat that carries
   * a different body (a fresh download token) goes back to `received` to be processed again; an
   * identical repeat of a processed delivery changes nothing but its count.
   */
  async upsert(d: InboxUpsert): Promise<{ id: string; status: DeliveryStatus; inserted: boolean }> {
    const rows: Array<{ id: string; status: DeliveryStatus; inserted: boolean }> = await this.dataSource.query(
      `INSERT INTO webhook_deliveries AS w (dedupe_key, event, zoom_meeting_uuid, body, status, received_at, last_received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT (dedupe_key) DO UPDATE SET
         delivery_count = w.delivery_count + 1,
         last_received_at = EXCLUDED.last_received_at,
         body = CASE WHEN w.status = 'ignored' THEN w.body ELSE EXCLUDED.body END,
         status = CASE
           WHEN w.status = 'ignored' THEN 'ignored'
           WHEN w.status = 'processed' AND w.body = EXCLUDED.body THEN 'processed'
           ELSE 'received' END
       RETURNING id, status, (xmax = 0) AS inserted`,
      [d.dedupeKey, d.event, d.zoomMeetingUuid, d.body === null ? null : JSON.stringify(d.body), d.status, d.at],
    );
    return rows[0];
  }

  async load(id: string): Promise<StoredDelivery | null> {
    const rows = await this.dataSource.query(
      'SELECT id, event, body, status, last_received_at FROM webhook_deliveries WHERE id = $1',
      [id],
    );
    if (rows.length === 0) return null;
    const r = rows[0];
    return { id: r.id, event: r.event, body: r.body, status: r.status, lastReceivedAt: r.last_received_at };
  }

  /** Marks it processed unless a newer copy arrived meanwhile (that one is processed next). */
  async markProcessed(id: string, lastReceivedAt: Date, at: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET status = 'processed', processed_at = $3, error = NULL
       WHERE id = $1 AND last_received_at = $2 AND status = 'received'`,
      [id, lastReceivedAt, at],
    );
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.dataSource.query(`UPDATE webhook_deliveries SET status = 'failed', error = $2 WHERE id = $1`, [id, error.slice(0, 500)]);
  }

  /** Deliveries acknowledged but not processed for a while: their job may never have reached Redis. */
  async waiting(olderThan: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM webhook_deliveries WHERE status = 'received' AND last_received_at < $1
       ORDER BY last_received_at LIMIT $2`,
      [olderThan, limit],
    );
    return rows.map((r) => r.id);
  }
}
