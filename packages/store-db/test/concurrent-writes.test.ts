import type { MetaChange, SessionUpdate } from '@sess/core/store';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createDbStore, type DbStore } from '../src/index.js';
import { holdRow } from './row-gate.js';
import { change, newHashedId, newKey, openTestDb, rawRow, uniqueTable } from './support.js';

/**
 * Issue 15 §2 and §3 at store level: a request that loaded the session before another request bound an
 * owner or set a 60 s expiry saves afterwards. Its write carries only what it changed, and the statement
 * applies it to the row as it is then, so the binding and the lifetime survive. The writes are queued on a
 * locked row (see `holdRow`), so the late writer runs after the other one, every time.
 */
const db = await openTestDb('store_db_concurrent');

async function setup() {
  const table = uniqueTable('race');
  const store = createDbStore(db.pool, { tableName: table });
  await store.migrate();
  return { store, table, raw: (id: string) => rawRow(db.pool, table, id) };
}

/** A write of `set` as a request sends it: as a delta, or as its whole (stale) data. */
function write(set: Record<string, unknown>, meta: MetaChange, whole: boolean): SessionUpdate {
  return whole ? { data: set, meta } : { data: set, delta: { set, unset: [] }, meta };
}

/** Runs `first`, then `second`, queued on the locked row of `id` in that order. */
async function queued(
  table: string,
  id: string,
  first: () => Promise<boolean>,
  second: () => Promise<boolean>,
) {
  const gate = await holdRow(db.pool, table, id);
  const one = first();
  await gate.waiting(1);
  const two = second();
  await gate.waiting(2);
  await gate.open();
  return [await one, await two];
}

describe.each([
  ['a delta', false],
  ['its whole data', true],
])('a stale writer saving %s', (_label, whole) => {
  it('after a request bound an owner keeps the binding: listed, and ended by destroyAll (§2)', async () => {
    const { store, table, raw } = await setup();
    const id = newHashedId();
    const now = Date.now();
    await store.create(id, {
      data: { cart: 0 },
      expiresAt: now + 3_600_000,
      meta: { createdAt: now, lastSeenAt: now },
    });
    const results = await queued(
      table,
      id,
      () => store.update(id, write({ user: 'alice' }, change(now + 1, { owner: 'alice' }), false)),
      () => store.update(id, write({ cart: 1 }, change(now + 2), whole)),
    );
    expect(results).toEqual([true, true]);
    expect(await raw(id)).toMatchObject({ owner: 'alice', lastSeenAt: now + 2 });
    expect((await store.owners.list('alice')).map((owned) => owned.id)).toEqual([id]);
    expect(await store.owners.destroyAll('alice')).toBe(1);
    expect(await store.load(id)).toBeNull();
  });

  it('after a request set a 60 s expiry keeps the 60 s lifetime and slides by it (§3)', async () => {
    const { store, table, raw } = await setup();
    const id = newKey();
    const now = Date.now();
    await store.create(id, {
      data: {},
      expiresAt: now + 1_209_600_000,
      meta: { createdAt: now, lastSeenAt: now },
    });
    const setExpiry = { expiry: { expiresAt: now + 1 + 60_000, lifetime: 60 } };
    const results = await queued(
      table,
      id,
      () => store.update(id, write({ _session_expiry: 60 }, change(now + 1, setExpiry), false)),
      () => store.update(id, write({ seen: true }, change(now + 2), whole)),
    );
    expect(results).toEqual([true, true]);
    expect(await raw(id)).toMatchObject({ lifetime: 60, expiresAt: now + 2 + 60_000 });
  });
});

describe('a stale touch', () => {
  it('after a setExpiry-style write slides by the stored 60 s, after a binder keeps the owner', async () => {
    const { store, table, raw } = await setup();
    const id = newHashedId();
    const now = Date.now();
    await store.create(id, {
      data: {},
      expiresAt: now + 3_600_000,
      meta: { createdAt: now, lastSeenAt: now },
    });
    const bindAndExpire = change(now + 1, {
      owner: 'bob',
      expiry: { expiresAt: now + 60_001, lifetime: 60 },
    });
    const results = await queued(
      table,
      id,
      () => store.update(id, write({ user: 'bob' }, bindAndExpire, false)),
      () => store.touch(id, change(now + 2)),
    );
    expect(results).toEqual([true, true]);
    expect(await raw(id)).toMatchObject({ owner: 'bob', lifetime: 60, expiresAt: now + 60_002 });
  });
});

describe('many stale writers racing one binder', () => {
  // A pool of its own, large enough that every writer of a round holds a connection at once.
  const pool = new pg.Pool({ connectionString: db.database.url, max: 12 });
  pool.on('error', () => {});
  afterAll(() => pool.end());

  it('never lose the owner or the lifetime: 80 rounds of 10 stale writers and one binder', async () => {
    const store: DbStore = createDbStore(pool, { tableName: uniqueTable('race_many') });
    await store.migrate();
    const lost: string[] = [];
    for (let round = 0; round < 80; round++) {
      const id = round % 2 === 0 ? newHashedId() : newKey();
      const owner = `user-${round}`;
      const now = Date.now();
      await store.create(id, {
        data: {},
        expiresAt: now + 3_600_000,
        meta: { createdAt: now, lastSeenAt: now },
      });
      const binder = change(now + 1, { owner, expiry: { expiresAt: now + 60_001, lifetime: 60 } });
      const writers = Array.from({ length: 10 }, (_, i) =>
        store.update(id, write({ [`w${i}`]: i }, change(now + 2 + i), false)),
      );
      const results = await Promise.all([
        store.update(id, write({ user: owner }, binder, false)),
        ...writers,
      ]);
      expect(results.every(Boolean)).toBe(true);
      const row = await rawRow(pool, store.tableName, id);
      const listed = (await store.owners.list(owner)).map((owned) => owned.id);
      if (row?.owner !== owner || row.lifetime !== 60 || listed[0] !== id) lost.push(`round ${round}`);
      expect(Object.keys(JSON.parse(row?.data ?? '{}')).sort()).toEqual(
        ['user', ...Array.from({ length: 10 }, (_, i) => `w${i}`)].sort(),
      );
    }
    expect(lost).toEqual([]);
  });
});
