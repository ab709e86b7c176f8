import { describe, expect, it } from 'vitest';
import { createDbStore } from '../src/index.js';
import {
  change,
  countingPool,
  newKey,
  openTestDb,
  quoteTable,
  rawRow,
  record,
  uniqueTable,
} from './support.js';

const db = await openTestDb('store_db_writes');

async function setup() {
  const table = uniqueTable('writes');
  const pool = countingPool(db.pool);
  const store = createDbStore(pool, { tableName: table });
  await store.migrate();
  pool.statements.length = 0;
  return { store, pool, table, raw: (key: string) => rawRow(db.pool, table, key) };
}

describe('writes', () => {
  it('touch moves expires_at and last_seen_at and leaves the data bytes as they were', async () => {
    const { store, pool, raw } = await setup();
    const now = Date.now();
    const key = newKey();
    await store.create(key, record({ b: [1, { z: 'ü' }], a: 'x\u0000y' }, now, 60_000, 'carol'));
    const before = await raw(key);
    pool.statements.length = 0;
    const expiry = { expiresAt: now + 7_200_000, lifetime: null };
    expect(await store.touch(key, change(now + 5, { expiry }))).toBe(true);
    expect(pool.statements).toHaveLength(1);
    expect(pool.statements[0]).not.toMatch(/\bdata\b/);
    const after = await raw(key);
    expect(after?.data).toBe(before?.data);
    expect(after).toEqual({ ...before, expiresAt: now + 7_200_000, lastSeenAt: now + 5 });
  });

  it('touch keeps data another request wrote since (it never writes a stale copy)', async () => {
    const { store, table, raw } = await setup();
    const now = Date.now();
    const key = newKey();
    await store.create(key, record({ v: 'loaded' }, now));
    await db.pool.query(
      `UPDATE ${quoteTable(table)} SET data = '{"v": "written elsewhere"}' WHERE key = $1`,
      [key],
    );
    expect(await store.touch(key, change(now))).toBe(true);
    expect((await raw(key))?.data).toBe('{"v": "written elsewhere"}');
  });

  it('a delta update is one UPDATE that sets and removes top-level keys inside the row', async () => {
    const { store, pool, table, raw } = await setup();
    const now = Date.now();
    const key = newKey();
    await store.create(key, record({ keep: 1, drop: 2, change: 3 }, now));
    // Another request's change to a key this request did not touch.
    await db.pool.query(
      `UPDATE ${quoteTable(table)} SET data = data || '{"other": "theirs"}' WHERE key = $1`,
      [key],
    );
    pool.statements.length = 0;
    const updated = await store.update(key, {
      data: { keep: 1, change: 'new', added: { deep: [true] } },
      delta: { set: { change: 'new', added: { deep: [true] } }, unset: ['drop', 'never-there'] },
      meta: change(now + 1, { expiry: { expiresAt: now + 90_000, lifetime: null }, owner: 'dave' }),
    });
    expect(updated).toBe(true);
    expect(pool.statements).toHaveLength(1);
    expect(pool.statements[0]).toMatch(/^UPDATE /);
    expect((await store.load(key))?.data).toEqual({
      keep: 1,
      change: 'new',
      added: { deep: [true] },
      other: 'theirs',
    });
    expect(await raw(key)).toMatchObject({ expiresAt: now + 90_000, lastSeenAt: now + 1, owner: 'dave' });
  });

  it('a delta removes and sets keys holding NUL and private-use characters', async () => {
    const { store } = await setup();
    const now = Date.now();
    const key = newKey();
    await store.create(key, record({ 'a\u0000b': 1, '\uE000': 2, '\uE0002': 3, plain: 4 }, now));
    const delta = { set: { 'n\u0000': '\u0000', '\uE0001': 'm' }, unset: ['a\u0000b', '\uE000'] };
    expect(await store.update(key, { data: {}, delta, meta: change(now) })).toBe(true);
    expect((await store.load(key))?.data).toEqual({
      '\uE0002': 3,
      plain: 4,
      'n\u0000': '\u0000',
      '\uE0001': 'm',
    });
  });

  it('an update without delta replaces the data whole', async () => {
    const { store, table } = await setup();
    const now = Date.now();
    const key = newKey();
    await store.create(key, record({ a: 1, b: 2 }, now));
    await db.pool.query(`UPDATE ${quoteTable(table)} SET data = data || '{"other": 1}' WHERE key = $1`, [
      key,
    ]);
    expect(await store.update(key, { data: { c: 3 }, meta: change(now) })).toBe(true);
    expect((await store.load(key))?.data).toEqual({ c: 3 });
  });

  it('update and touch report a vanished row and never re-create it', async () => {
    const { store, raw } = await setup();
    const now = Date.now();
    const key = newKey();
    await store.create(key, record({ a: 1 }, now));
    expect(await store.destroy(key)).not.toBeNull();
    expect(await store.update(key, { data: { a: 2 }, meta: change(now) })).toBe(false);
    expect(
      await store.update(key, { data: {}, delta: { set: { a: 2 }, unset: [] }, meta: change(now) }),
    ).toBe(false);
    expect(await store.touch(key, change(now))).toBe(false);
    expect(await raw(key)).toBeNull();
    expect(await store.destroy(key)).toBeNull();
  });

  it('owner index: lists live rows oldest first and destroys all but one, in one statement each', async () => {
    const { store, pool } = await setup();
    const now = Date.now();
    const owner = `user-${newKey()}`;
    const keys = [newKey(), newKey(), newKey()];
    await store.create(keys[2] as string, {
      ...record({}, now, 60_000, owner),
      meta: { createdAt: now - 1, lastSeenAt: now, owner },
    });
    await store.create(keys[0] as string, {
      ...record({}, now, 60_000, owner),
      meta: { createdAt: now - 3, lastSeenAt: now, owner },
    });
    await store.create(keys[1] as string, {
      ...record({}, now, 60_000, owner),
      meta: { createdAt: now - 2, lastSeenAt: now, owner },
    });
    await store.create(newKey(), record({}, now, -1, owner));
    await store.create(newKey(), record({}, now, 60_000, `${owner}-other`));
    pool.statements.length = 0;
    expect((await store.owners.list(owner)).map((row) => row.id)).toEqual(keys);
    expect(pool.statements).toHaveLength(1);
    pool.statements.length = 0;
    expect(await store.owners.destroyAll(owner, keys[1])).toBe(2);
    expect(pool.statements).toHaveLength(1);
    expect((await store.owners.list(owner)).map((row) => row.id)).toEqual([keys[1]]);
    expect(await store.owners.list(`${owner}-other`)).toHaveLength(1);
    expect(await store.owners.destroyAll(owner)).toBe(1);
    expect(await store.owners.list(owner)).toEqual([]);
  });
});
