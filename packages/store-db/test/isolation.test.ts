import { describe, expect, it } from 'vitest';
import { createDbStore } from '../src/index.js';
import { change, newKey, openTestDb, rawRow, record, uniqueTable } from './support.js';

const db = await openTestDb('store_db_isolation');

describe('two stores on different tables', () => {
  it('never see, change or delete each other’s rows', async () => {
    const [tableA, tableB] = [uniqueTable('iso_a'), uniqueTable('iso_b')];
    const a = createDbStore(db.pool, { tableName: tableA });
    const b = createDbStore(db.pool, { tableName: tableB });
    await Promise.all([a.migrate(), b.migrate()]);
    const now = Date.now();
    const key = newKey();
    const owner = `shared-${newKey()}`;
    expect(await a.create(key, record({ side: 'a' }, now, 60_000, owner))).toBe(true);
    expect(await b.create(key, record({ side: 'b' }, now, 60_000, owner))).toBe(true);
    expect(await b.create(newKey(), record({}, now, -1))).toBe(true);

    expect(await b.update(key, { data: { side: 'b2' }, meta: change(now) })).toBe(true);
    expect(await b.touch(key, change(now))).toBe(true);
    expect(await b.clearExpired()).toBe(1);
    expect(await b.owners.destroyAll(owner)).toBe(1);

    expect((await a.load(key))?.data).toEqual({ side: 'a' });
    expect(await rawRow(db.pool, tableA, key)).toMatchObject({
      data: '{"side": "a"}',
      expiresAt: now + 60_000,
    });
    expect(await rawRow(db.pool, tableB, key)).toBeNull();
    expect((await a.owners.list(owner)).map((row) => row.id)).toEqual([key]);
    expect(await b.destroy(key)).toBeNull();
    expect(await a.load(key)).not.toBeNull();
  });
});
