import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';

/** A statement's parameters: node-pg serialises each. */
export type SqlParams = readonly unknown[];

/**
 * TypeORM's `query` answers `[rows, rowCount]` for UPDATE and DELETE and plain rows for anything
 * else; a row from node-pg is never an array, so the two shapes cannot be confused.
 */
export function rowsOf<T>(raw: unknown): T[] {
  if (Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') return raw[0] as T[];
  return (raw ?? []) as T[];
}

/**
 * What repositories run their SQL through: inside `Transactions.run` the statement joins that
 * transaction, outside it runs on its own. Every result comes back as typed rows, whatever the
 * statement (`UPDATE … RETURNING` included). Only repositories use it (STYLE habit 15).
 */
@Injectable()
export class Sql {
  constructor(private readonly host: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /** The rows a statement returns (none for a statement without RETURNING). Callers name the row type. */
  async rows<T = unknown>(text: string, params: SqlParams = []): Promise<T[]> {
    return rowsOf<T>(await this.host.tx.query(text, params as unknown[]));
  }

  /** The first row, or null. */
  async one<T = unknown>(text: string, params: SqlParams = []): Promise<T | null> {
    return (await this.rows<T>(text, params))[0] ?? null;
  }

  /** A statement whose result is not needed. */
  async run(text: string, params: SqlParams = []): Promise<void> {
    await this.host.tx.query(text, params as unknown[]);
  }
}
