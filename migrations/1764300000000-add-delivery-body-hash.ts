import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hash of a delivery's raw body: an identical repeat (Zoom's retry, a load balancer's replay)
 * is recognised with one index lookup and changes nothing, so duplicates never queue on row locks.
 */
export class AddDeliveryBodyHash1764300000000 implements MigrationInterface {
  name = 'AddDeliveryBodyHash1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_deliveries ADD COLUMN body_sha256 text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_deliveries DROP COLUMN body_sha256`);
  }
}
