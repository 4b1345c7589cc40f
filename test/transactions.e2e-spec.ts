import { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { Sql, Transactions } from '@lib/database';
import { Metrics } from '@lib/observability';
import { TestDatabase } from './support/database';

describe('transactions own their side effects (real PostgreSQL)', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let pg: Client;
  let tx: Transactions;
  let sql: Sql;

  beforeAll(async () => {
    db = await TestDatabase.create();
    app = await db.context();
    pg = await db.client();
    tx = app.get(Transactions);
    sql = app.get(Sql);
  });
  afterAll(async () => {
    await pg?.end();
    await app?.close();
    await db?.drop();
  });

  const insertPerson = (id: string) => sql.run(`INSERT INTO people (id, display_name) VALUES ($1, 'x')`, [id]);
  const personExists = async (id: string) => (await pg.query('SELECT 1 FROM people WHERE id = $1', [id])).rowCount === 1;

  it('runs an effect requested inside a transaction only after the commit, when the change is visible to others', async () => {
    let seenByEffect: boolean | null = null;
    await tx.run(async () => {
      await insertPerson('p-commit');
      await tx.afterCommit(async () => {
        seenByEffect = await personExists('p-commit');
      });
      expect(seenByEffect).toBeNull();
    });
    expect(seenByEffect).toBe(true);
  });

  it('drops the effects of a transaction that rolls back', async () => {
    const effect = jest.fn(async () => undefined);
    await expect(
      tx.run(async () => {
        await insertPerson('p-rollback');
        await tx.afterCommit(effect);
        throw new Error('use case failed');
      }),
    ).rejects.toThrow('use case failed');
    expect(effect).not.toHaveBeenCalled();
    expect(await personExists('p-rollback')).toBe(false);
  });

  it('joins the caller transaction: an inner run neither commits early nor runs its effects early', async () => {
    const order: string[] = [];
    await tx.run(async () => {
      await tx.run(async () => {
        await insertPerson('p-nested');
        await tx.afterCommit(async () => void order.push('inner effect'));
      });
      order.push(`outer body sees others: ${await personExists('p-nested')}`);
    });
    expect(order).toEqual(['outer body sees others: false', 'inner effect']);
  });

  it('runs an effect at once outside any transaction', async () => {
    const effect = jest.fn(async () => undefined);
    await tx.afterCommit(effect);
    expect(effect).toHaveBeenCalledTimes(1);
  });

  it('counts a failed effect without failing the committed use case', async () => {
    const failures = app.get(Metrics).afterCommitFailures;
    const before = (await failures.get()).values[0]?.value ?? 0;
    await expect(
      tx.run(async () => {
        await insertPerson('p-effect-fails');
        await tx.afterCommit(async () => {
          throw new Error('queue unavailable');
        });
      }),
    ).resolves.toBeUndefined();
    expect(await personExists('p-effect-fails')).toBe(true);
    expect((await failures.get()).values[0]?.value).toBe(before + 1);
  });

  it('returns the rows of UPDATE … RETURNING like those of SELECT and INSERT', async () => {
    await insertPerson('p-rows');
    const updated = await sql.rows<{ id: string }>(`UPDATE people SET display_name = 'y' WHERE id = $1 RETURNING id`, ['p-rows']);
    const selected = await sql.rows<{ id: string }>('SELECT id FROM people WHERE id = $1', ['p-rows']);
    const none = await sql.rows<{ id: string }>(`UPDATE people SET display_name = 'z' WHERE id = 'nobody' RETURNING id`);
    expect(updated).toEqual([{ id: 'p-rows' }]);
    expect(selected).toEqual(updated);
    expect(none).toEqual([]);
  });
});
