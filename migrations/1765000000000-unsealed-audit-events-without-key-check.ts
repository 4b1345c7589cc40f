import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every audited transaction writes one `unsealed_audit_events` row beside its event, in the same
 * statement (`AuditRepository.insertEvents`), so the row's event always exists; the foreign key to
 * `audit_log` only added a referential check (a lookup and a row lock on the new event) to every
 * append (issue 15: the append at ≥ 0.7× a plain INSERT). The sealer joins the two tables and
 * would skip, not misread, a row without its event.
 */
export class UnsealedAuditEventsWithoutKeyCheck1765000000000 implements MigrationInterface {
  name = 'UnsealedAuditEventsWithoutKeyCheck1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE unsealed_audit_events DROP CONSTRAINT IF EXISTS unsealed_audit_events_event_id_fkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE unsealed_audit_events ADD CONSTRAINT unsealed_audit_events_event_id_fkey FOREIGN KEY (event_id) REFERENCES audit_log(id)`,
    );
  }
}
