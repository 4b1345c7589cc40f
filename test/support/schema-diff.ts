import { Client } from 'pg';
import { DataSource } from 'typeorm';

/**
 * One column as both sides can describe it: the type in PostgreSQL's own spelling
 * (`timestamp with time zone`, `text[]`), the fractional-second precision of timestamps.
 */
export interface ColumnShape {
  table: string;
  column: string;
  type: string;
  nullable: boolean;
  precision: number | null;
}

/** TypeORM's tables that are bookkeeping, not the domain (the migrations ledger). */
const BOOKKEEPING = new Set(['schema_migrations']);

/** What the entities declare, as TypeORM reads their decorators. */
export function declaredColumns(dataSource: DataSource): ColumnShape[] {
  const normalise = (type: unknown) => dataSource.driver.normalizeType({ type: type as string });
  return dataSource.entityMetadatas.flatMap((entity) =>
    entity.columns.map((c) => {
      const base = normalise(c.type);
      const timestamp = base.startsWith('timestamp') || base === 'time';
      return {
        table: entity.tableName,
        column: c.databaseName,
        type: c.isArray ? `${base}[]` : base,
        nullable: c.isNullable,
        // PostgreSQL's default precision for a timestamp is 6 (microseconds).
        precision: timestamp ? (c.precision ?? 6) : null,
      };
    }),
  );
}

/** What the migrations made, from information_schema. */
export async function migratedColumns(client: Client): Promise<ColumnShape[]> {
  const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string; udt_name: string; is_nullable: string; datetime_precision: number | null }>(
    `SELECT c.table_name, c.column_name, c.data_type, c.udt_name, c.is_nullable, c.datetime_precision
     FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'`,
  );
  return rows
    .filter((r) => !BOOKKEEPING.has(r.table_name))
    .map((r) => ({
      table: r.table_name,
      column: r.column_name,
      // Arrays are `ARRAY` with the element's udt name after an underscore (`_text`).
      type: r.data_type === 'ARRAY' ? `${r.udt_name.replace(/^_/, '')}[]` : r.data_type,
      nullable: r.is_nullable === 'YES',
      precision: r.data_type.startsWith('timestamp') || r.data_type.startsWith('time ') ? r.datetime_precision : null,
    }));
}

/**
 * Every difference between what the code declares and what the migrations made, one line each,
 * sorted, so a failing test names exactly what to add or change (and on which side).
 */
export function schemaDifferences(declared: ColumnShape[], migrated: ColumnShape[]): string[] {
  const key = (c: ColumnShape) => `${c.table}.${c.column}`;
  const tablesOf = (cs: ColumnShape[]) => new Set(cs.map((c) => c.table));
  const [declaredTables, migratedTables] = [tablesOf(declared), tablesOf(migrated)];
  const byKey = new Map(declared.map((c) => [key(c), c]));
  const out: string[] = [];
  for (const t of migratedTables) if (!declaredTables.has(t)) out.push(`table ${t}: migrated, no entity declares it`);
  for (const t of declaredTables) if (!migratedTables.has(t)) out.push(`table ${t}: declared by an entity, no migration creates it`);
  const describe = (c: ColumnShape) => `${c.type}${c.precision !== null ? `(${c.precision})` : ''} ${c.nullable ? 'NULL' : 'NOT NULL'}`;
  for (const m of migrated) {
    const d = byKey.get(key(m));
    byKey.delete(key(m));
    if (!declaredTables.has(m.table)) continue; // already reported as a missing table
    if (!d) out.push(`column ${key(m)}: migrated as ${describe(m)}, not declared`);
    else if (describe(d) !== describe(m)) out.push(`column ${key(m)}: declared ${describe(d)}, migrated ${describe(m)}`);
  }
  for (const d of byKey.values()) {
    if (migratedTables.has(d.table)) out.push(`column ${key(d)}: declared as ${describe(d)}, no migration creates it`);
  }
  return out.sort();
}
