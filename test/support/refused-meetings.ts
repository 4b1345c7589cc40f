import { ServiceHarness } from './harness';

/**
 * A way to make the database refuse writes for chosen meetings: a row of `table` whose
 * `zoom_meeting_uuid` is in `refused_meetings` raises an error on insert or update. The suite
 * refuses a meeting by inserting its uuid there, and lets it through by deleting it.
 */
export async function refuseMeetingsOn(harness: ServiceHarness, table: 'recordings' | 'webhook_deliveries'): Promise<void> {
  await harness.query(`CREATE TABLE IF NOT EXISTS refused_meetings (uuid text PRIMARY KEY)`);
  await harness.query(`CREATE OR REPLACE FUNCTION refuse_meeting() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM refused_meetings WHERE uuid = NEW.zoom_meeting_uuid) THEN RAISE EXCEPTION 'refused by the test'; END IF;
      RETURN NEW;
    END $$`);
  await harness.query(`CREATE TRIGGER refuse_meeting BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_meeting()`);
}

/**
 * A way to make writes for chosen meetings slow: each row of `table` whose `zoom_meeting_uuid` is in
 * `slow_meetings` waits `ms` before it is written, so two statements writing the same meetings
 * overlap row by row (what a lock-order test needs to see a deadlock, if the order allows one).
 */
export async function slowMeetingsOn(harness: ServiceHarness, table: 'recordings', ms: number): Promise<void> {
  await harness.query(`CREATE TABLE IF NOT EXISTS slow_meetings (uuid text PRIMARY KEY)`);
  await harness.query(`CREATE OR REPLACE FUNCTION slow_meeting() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM slow_meetings WHERE uuid = NEW.zoom_meeting_uuid) THEN PERFORM pg_sleep(${ms / 1000}); END IF;
      RETURN NEW;
    END $$`);
  await harness.query(`CREATE TRIGGER slow_meeting BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION slow_meeting()`);
}
