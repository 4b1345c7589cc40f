import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@lib/database';
import { TestDatabase } from './support/database';
import { ColumnShape, declaredColumns, migratedColumns, schemaDifferences } from './support/schema-diff';

/**
 * The TypeORM entities (libs/database/src/entities) are the typed declaration of the schema;
 * migrations/ are what PostgreSQL really has (`synchronize` stays off). This suite keeps the two
 * equal: every table and column, its type, timestamp precision and nullability. A migration that
 * adds a column without its entity (or the reverse) fails here with the exact difference.
 */
describe('the entities declare exactly the migrated schema', () => {
  let db: TestDatabase;
  let client: Client;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await TestDatabase.create();
    client = await db.client();
    dataSource = new DataSource(dataSourceOptions(db.url));
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await client?.end();
    await db?.drop();
  });

  it('has no table or column in one and not the other, and no differing type, precision or nullability', async () => {
    const differences = schemaDifferences(declaredColumns(dataSource), await migratedColumns(client));
    // Compared as a list so the failure message is the list of what to change.
    expect(differences).toEqual([]);
  });

  it('keeps synchronize off: the migrations alone change the schema', () => {
    expect(dataSource.options.synchronize).toBe(false);
  });

  describe('the comparison itself', () => {
    const col = (table: string, column: string, over: Partial<ColumnShape> = {}): ColumnShape => ({ table, column, type: 'text', nullable: false, precision: null, ...over });

    it('names a migrated table no entity declares, and a declared one no migration creates', () => {
      expect(schemaDifferences([col('a', 'id')], [col('b', 'id')])).toEqual([
        'table a: declared by an entity, no migration creates it',
        'table b: migrated, no entity declares it',
      ]);
    });

    it('names a column on one side only, and differing type, precision or nullability', () => {
      const declared = [col('t', 'id'), col('t', 'at', { type: 'timestamp with time zone', precision: 6 }), col('t', 'gone'), col('t', 'note')];
      const migrated = [col('t', 'id'), col('t', 'at', { type: 'timestamp with time zone', precision: 3 }), col('t', 'extra', { type: 'uuid' }), col('t', 'note', { nullable: true })];
      expect(schemaDifferences(declared, migrated)).toEqual([
        'column t.at: declared timestamp with time zone(6) NOT NULL, migrated timestamp with time zone(3) NOT NULL',
        'column t.extra: migrated as uuid NOT NULL, not declared',
        'column t.gone: declared as text NOT NULL, no migration creates it',
        'column t.note: declared text NOT NULL, migrated text NULL',
      ]);
    });
  });
});
