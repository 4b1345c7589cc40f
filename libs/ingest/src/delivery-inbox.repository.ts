import { Injectable } from '@nestjs/common';
import { DeliveryStatus, Sql } from '@lib/database';

export interface InboxUpsert {
  dedupeKey: string;
  event: string;
  zoomMeetingUuid: string | null;
  /** The body without its download token (that goes in `downloadToken`, and only there). */
  body: unknown;
  /**
   * sha256 of the raw body, token included: it tells an identical repeat (nothing to do) from one
   * carrying a fresh token (re-arms the row).
   */
  bodySha256: string;
  downloadToken: string | null;
  status: 'received' | 'ignored';
  at: Date;
}

/** The row a delivery is queued under: its job id carries the generation. */
export interface ArmedDelivery {
  id: string;
  generation: number;
}

export interface UpsertedDelivery extends ArmedDelivery {
  status: DeliveryStatus;
  inserted: boolean;
}

export interface StoredDelivery {
  id: string;
  event: string;
  body: unknown;
  downloadToken: string | null;
  status: DeliveryStatus;
  generation: number;
  redrives: number;
  lastReceivedAt: Date;
}

interface StoredDeliveryRow {
  id: string;
  event: string;
  body: unknown;
  download_token: string | null;
  status: DeliveryStatus;
  generation: number;
  redrives: number;
  last_received_at: Date;
}

export interface FailedDeliveryCounts {
  /** Failed, with a re-drive scheduled. */
  awaitingRedrive: number;
  /** Failed after the last re-drive: an operator (or a fresh delivery) must act. */
  givenUp: number;
}

/**
 * Splits deliveries into the statements that write them (indexes into `deliveries`): each dedupe
 * key at most once per statement, in arrival order. A copy with the body the key's copy in this
 * round already carries is left out (an identical repeat: it answers null); one with another body
 * waits for the next round, and so does every later copy of that key.
 */
export function inboxRounds(deliveries: readonly Pick<InboxUpsert, 'dedupeKey' | 'bodySha256'>[]): number[][] {
  const rounds: number[][] = [];
  let pending = deliveries.map((_, i) => i);
  while (pending.length > 0) {
    const round: number[] = [];
    const bodyOfKey = new Map<string, string>();
    const deferredKeys = new Set<string>();
    const later: number[] = [];
    for (const i of pending) {
      const { dedupeKey, bodySha256 } = deliveries[i];
      const seen = bodyOfKey.get(dedupeKey);
      if (seen === undefined) {
        bodyOfKey.set(dedupeKey, bodySha256);
        round.push(i);
      } else if (seen !== bodySha256 || deferredKeys.has(dedupeKey)) {
        // Once a copy of a key waits, every later copy waits behind it: arrival order is kept.
        deferredKeys.add(dedupeKey);
        later.push(i);
      }
    }
    rounds.push(round);
    pending = later;
  }
  return rounds;
}

/**
 * The webhook inbox table: written before Zoom gets its answer, read by the ingest job and the
 * relay. What a row keeps after processing is documented in docs/ingest.md.
 */
@Injectable()
export class DeliveryInbox {
  constructor(private readonly sql: Sql) {}

  /**
   * Inserts the delivery or folds it into the row with the same dedupe key. A repeat whose body
   * differs (a fresh download token) replaces body and token, goes back to `received` under a new
   * generation (a new job id: a failed job of the old one cannot shadow it) and starts its
   * re-drives afresh. An identical repeat changes nothing and answers null: one index lookup, no
   * row lock, no write, so a burst of duplicates never queues behind itself.
   */
  async upsert(d: InboxUpsert): Promise<UpsertedDelivery | null> {
    return (await this.upsertMany([d]))[0];
  }

  /**
   * `upsert` for many deliveries at once, answers in their order, as if each had been upserted in
   * turn: one statement (one commit) per round, where a round holds each dedupe key once. A later
   * copy of a key with the same body is an identical repeat (null) without being sent; one with
   * another body goes in the next round, so a fresh token is never lost to an older one.
   */
  async upsertMany(deliveries: readonly InboxUpsert[]): Promise<Array<UpsertedDelivery | null>> {
    const answers = new Array<UpsertedDelivery | null>(deliveries.length).fill(null);
    for (const round of inboxRounds(deliveries)) {
      const sent = round.map((i) => deliveries[i]);
      const rows = await this.sql.rows<UpsertedDelivery & { dedupe_key: string }>(
        `WITH input AS (
           SELECT * FROM jsonb_to_recordset($1::jsonb)
             AS i(dedupe_key text, event text, zoom_meeting_uuid text, body jsonb, body_sha256 text, download_token text, status text, at timestamptz)
         ), inserted AS (
           INSERT INTO webhook_deliveries (dedupe_key, event, zoom_meeting_uuid, body, body_sha256, download_token, status, received_at, last_received_at)
           SELECT dedupe_key, event, zoom_meeting_uuid, body, body_sha256, download_token, status, at, at FROM input ORDER BY dedupe_key
           ON CONFLICT (dedupe_key) DO NOTHING
           RETURNING dedupe_key, id, status, generation, true AS inserted
         ), changed AS (
           UPDATE webhook_deliveries w SET body = i.body, body_sha256 = i.body_sha256, download_token = i.download_token,
             delivery_count = w.delivery_count + 1, last_received_at = i.at, status = 'received', generation = w.generation + 1,
             redrives = 0, next_attempt_at = NULL, gave_up_at = NULL
           FROM input i
           WHERE w.dedupe_key = i.dedupe_key AND w.status <> 'ignored' AND w.body_sha256 IS DISTINCT FROM i.body_sha256
             AND NOT EXISTS (SELECT 1 FROM inserted x WHERE x.dedupe_key = i.dedupe_key)
           RETURNING w.dedupe_key, w.id, w.status, w.generation, false AS inserted
         )
         SELECT * FROM inserted UNION ALL SELECT * FROM changed`,
        // One JSON document for the whole round: each body goes in as it is, serialised once.
        [
          JSON.stringify(
            sent.map((d) => ({
              dedupe_key: d.dedupeKey,
              event: d.event,
              zoom_meeting_uuid: d.zoomMeetingUuid,
              body: d.body,
              body_sha256: d.bodySha256,
              download_token: d.downloadToken,
              status: d.status,
              at: d.at,
            })),
          ),
        ],
      );
      const byKey = new Map(rows.map(({ dedupe_key, ...row }) => [dedupe_key, row]));
      for (const i of round) answers[i] = byKey.get(deliveries[i].dedupeKey) ?? null;
    }
    return answers;
  }

  async load(id: string): Promise<StoredDelivery | null> {
    return (await this.loadMany([id])).get(id) ?? null;
  }

  /** The rows of these ids that exist, by id. */
  async loadMany(ids: readonly string[]): Promise<Map<string, StoredDelivery>> {
    const rows = await this.sql.rows<StoredDeliveryRow>(
      'SELECT id, event, body, download_token, status, generation, redrives, last_received_at FROM webhook_deliveries WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          event: r.event,
          body: r.body,
          downloadToken: r.download_token,
          status: r.status,
          generation: r.generation,
          redrives: r.redrives,
          lastReceivedAt: r.last_received_at,
        },
      ]),
    );
  }

  /**
   * Marks them processed, each unless a newer copy arrived meanwhile (that one is processed next);
   * rows are locked in id order. From here on a row keeps ids, event, hash and times: the body
   * (host email, topic, file names) and the token go.
   */
  async markProcessed(deliveries: ReadonlyArray<{ id: string; lastReceivedAt: Date }>, at: Date): Promise<void> {
    await this.sql.run(
      `WITH input AS (SELECT * FROM unnest($1::uuid[], $2::timestamptz[]) AS i(id, last_received_at)),
       locked AS (
         SELECT w.id FROM webhook_deliveries w JOIN input i ON i.id = w.id AND i.last_received_at = w.last_received_at
         WHERE w.status = 'received' ORDER BY w.id FOR UPDATE OF w
       )
       UPDATE webhook_deliveries w SET status = 'processed', processed_at = $3, error = NULL, body = NULL, download_token = NULL,
         next_attempt_at = NULL
       FROM locked WHERE w.id = locked.id`,
      [deliveries.map((d) => d.id), deliveries.map((d) => d.lastReceivedAt), at],
    );
  }

  /**
   * Every job attempt of this generation failed: re-drive it at `nextAttemptAt`, or give up (null;
   * the token goes then, it cannot outlive its day anyway). A row re-armed meanwhile (newer
   * generation) is left to its own job. Answers whether the row was marked.
   */
  async markFailed(id: string, generation: number, error: string, nextAttemptAt: Date | null, at: Date): Promise<boolean> {
    const rows = await this.sql.rows<{ id: string }>(
      `UPDATE webhook_deliveries SET status = 'failed', error = $3, next_attempt_at = $4,
         gave_up_at = CASE WHEN $4::timestamptz IS NULL THEN $5::timestamptz END,
         download_token = CASE WHEN $4::timestamptz IS NULL THEN NULL ELSE download_token END
       WHERE id = $1 AND generation = $2 AND status = 'received' RETURNING id`,
      [id, generation, error.slice(0, 500), nextAttemptAt, at],
    );
    return rows.length > 0;
  }

  /** Failed rows whose re-drive is due go back to `received` under a new generation. */
  async rearmDue(now: Date, limit: number): Promise<ArmedDelivery[]> {
    return this.sql.rows<ArmedDelivery>(
      `UPDATE webhook_deliveries w SET status = 'received', generation = w.generation + 1, redrives = w.redrives + 1,
         next_attempt_at = NULL
       WHERE w.id IN (
         SELECT id FROM webhook_deliveries WHERE status = 'failed' AND next_attempt_at <= $1
         ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING w.id, w.generation`,
      [now, limit],
    );
  }

  /**
   * A `received` row whose job failed for good without the failure being recorded: the next
   * generation gets a job id of its own (the failed job keeps the old one for days).
   */
  async rearmReceived(id: string, generation: number): Promise<ArmedDelivery | null> {
    return this.sql.one<ArmedDelivery>(
      `UPDATE webhook_deliveries SET generation = generation + 1
       WHERE id = $1 AND generation = $2 AND status = 'received' RETURNING id, generation`,
      [id, generation],
    );
  }

  /** Deliveries acknowledged but not processed for a while: their job may never have reached Redis. */
  async waiting(olderThan: Date, limit: number): Promise<ArmedDelivery[]> {
    return this.sql.rows<ArmedDelivery>(
      `SELECT id, generation FROM webhook_deliveries WHERE status = 'received' AND last_received_at < $1
       ORDER BY last_received_at LIMIT $2`,
      [olderThan, limit],
    );
  }

  async failedCounts(): Promise<FailedDeliveryCounts> {
    const row = await this.sql.one<FailedDeliveryCounts>(
      `SELECT count(*) FILTER (WHERE gave_up_at IS NULL)::int AS "awaitingRedrive", count(*) FILTER (WHERE gave_up_at IS NOT NULL)::int AS "givenUp"
       FROM webhook_deliveries WHERE status = 'failed'`,
    );
    return row ?? { awaitingRedrive: 0, givenUp: 0 };
  }
}
