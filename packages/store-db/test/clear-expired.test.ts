import { describe, expect, it } from 'vitest';
import { createDbStore } from '../src/index.js';
import { countingPool, newKey, openTestDb, quoteTable, uniqueTable } from './support.js';

const db = await openTestDb('store_db_clear');

/** Inserts `count` rows expiring `ttlMs` from now in one statement; returns nothing. */
async function fill(table: string, count: number, ttlMs: number, keyPrefix: string): Promise<void> {
  await db.pool.query(
    `INSERT INTO ${quoteTable(table)} (key, data, expires_at, created_at, last_seen_at)
     SELECT $1 || lpad(i::text, 8, '0'), jsonb_build_object('i', i), now() + $2 * interval '1 millisecond', now(), now()
     FROM generate_series(1, $3) AS i`,
    [keyPrefix, ttlMs, count],
  );
}

const count = async (table: string): Promise<number> =>
  Number((await db.pool.query(`SELECT count(*) AS n FROM ${quoteTable(table)}`)).rows[0].n);

describe('clearExpired()', () => {
  it('deletes 5,000 expired rows in batches of 500 and keeps the live ones', async () => {
    const table = uniqueTable('clear');
    const pool = countingPool(db.pool);
    const store = createDbStore(pool, { tableName: table, batchSize: 500 });
    await store.migrate();
    await fill(table, 5_000, -60_000, 'expired');
    await fill(table, 300, 3_600_000, 'livekey');
    pool.statements.length = 0;

    expect(await store.clearExpired()).toBe(5_000);
    // 10 full batches, then one that finds fewer than 500 rows (none) and ends the sweep.
    expect(pool.statements).toHaveLength(11);
    expect(pool.statements.every((text) => text.startsWith('DELETE') && text.includes('LIMIT $2'))).toBe(
      true,
    );
    expect(await count(table)).toBe(300);
    expect(await store.clearExpired()).toBe(0);
  });

  it('stops after a partial batch: 1,234 rows with batches of 500 take 3 statements', async () => {
    const table = uniqueTable('clear_partial');
    const pool = countingPool(db.pool);
    const store = createDbStore(pool, { tableName: table, batchSize: 500 });
    await store.migrate();
    await fill(table, 1_234, -1, 'expired');
    pool.statements.length = 0;
    expect(await store.clearExpired()).toBe(1_234);
    expect(pool.statements).toHaveLength(3);
    expect(await count(table)).toBe(0);
  });

  it('uses the default batch of 1000', async () => {
    const table = uniqueTable('clear_default');
    const pool = countingPool(db.pool);
    const store = createDbStore(pool, { tableName: table });
    await store.migrate();
    await fill(table, 2_500, -1, 'expired');
    pool.statements.length = 0;
    expect(await store.clearExpired()).toBe(2_500);
    expect(pool.statements).toHaveLength(3);
  });

  it('two sweepers at once delete every expired row exactly once between them', async () => {
    const table = uniqueTable('clear_twice');
    const one = createDbStore(db.pool, { tableName: table, batchSize: 100 });
    const two = createDbStore(db.pool, { tableName: table, batchSize: 100 });
    await one.migrate();
    await fill(table, 3_000, -1, 'expired');
    const live = newKey();
    await db.pool.query(
      `INSERT INTO ${quoteTable(table)} (key, data, expires_at, created_at, last_seen_at)
       VALUES ($1, '{}', now() + interval '1 hour', now(), now())`,
      [live],
    );
    const [a, b] = await Promise.all([one.clearExpired(), two.clearExpired()]);
    const rest = await one.clearExpired();
    expect(a + b + rest).toBe(3_000);
    expect(await count(table)).toBe(1);
  });
});
