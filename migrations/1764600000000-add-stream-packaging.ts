import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Encrypted HLS streams (issue 12): a `stream` artifact holds its AES-128 key only wrapped by
 * MEDIA_MASTER_KEY, and says whether it is audio alone (video withheld or never sent). One stream
 * per source artifact, so two packaging runs of the same source can never both keep one.
 */
export class AddStreamPackaging1764600000000 implements MigrationInterface {
  name = 'AddStreamPackaging1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE artifacts ADD COLUMN stream_key_wrapped text, ADD COLUMN stream_audio_only boolean`);
    await q.query(`CREATE UNIQUE INDEX artifacts_one_stream_per_source ON artifacts (derived_from) WHERE kind = 'stream'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX artifacts_one_stream_per_source`);
    await q.query(`ALTER TABLE artifacts DROP COLUMN stream_key_wrapped, DROP COLUMN stream_audio_only`);
  }
}
