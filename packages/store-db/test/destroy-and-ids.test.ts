import { createTestClock } from '@sess/core/testing';
import { describe, expect, it } from 'vitest';
import { createDbStore } from '../src/index.js';
import { holdRow } from './row-gate.js';
import { change, countingPool, newHashedId, newKey, openTestDb, rawRow, uniqueTable } from './support.js';

const db = await openTestDb('store_db_destroy');

async function setup(clock = createTestClock(Date.now())) {
  const table = uniqueTable('destroy');
  const pool = countingPool(db.pool);
  const store = createDbStore(pool, { tableName: table, clock });
  await store.migrate();
  pool.statements.length = 0;
  return { store, pool, table, clock, raw: (id: string) => rawRow(db.pool, table, id) };
}

describe('destroy(id)', () => {
  it('removes the row and returns its metadata as it was, in one DELETE … RETURNING', async () => {
    const { store, pool, raw, clock } = await setup();
    const now = clock.now();
    const id = newHashedId();
    const meta = {
      createdAt: now - 10,
      lastSeenAt: now - 5,
      owner: 'alice',
      deadline: now + 600_000,
      lifetime: 300,
      previous: newHashedId(),
      next: newHashedId(),
    };
    await store.create(id, { data: { a: 1 }, expiresAt: now + 300_000, meta });
    pool.statements.length = 0;
    expect(await store.destroy(id)).toEqual(meta);
    expect(pool.statements).toHaveLength(1);
    expect(pool.statements[0]).toMatch(/^DELETE .* RETURNING /s);
    expect(await raw(id)).toBeNull();
    expect(await store.destroy(id)).toBeNull();
  });

  it('returns null for an id never stored, and for an expired row (which it removes)', async () => {
    const { store, raw, clock } = await setup();
    const now = clock.now();
    expect(await store.destroy(newKey())).toBeNull();
    const id = newKey();
    await store.create(id, {
      data: {},
      expiresAt: now + 1_000,
      meta: { createdAt: now, lastSeenAt: now, owner: 'o' },
    });
    clock.set(now + 1_000);
    expect(await store.destroy(id)).toBeNull();
    expect(await raw(id)).toBeNull();
  });

  it('returns the metadata a write queued before it left, never an older copy', async () => {
    const { store, table, clock } = await setup();
    const now = clock.now();
    const id = newHashedId();
    const next = newHashedId();
    await store.create(id, { data: {}, expiresAt: now + 60_000, meta: { createdAt: now, lastSeenAt: now } });
    const gate = await holdRow(db.pool, table, id);
    const marked = store.touch(
      id,
      change(now + 1, { next, expiry: { expiresAt: now + 30_000, lifetime: 0 } }),
    );
    await gate.waiting(1);
    const destroyed = store.destroy(id);
    await gate.waiting(2);
    await gate.open();
    expect(await marked).toBe(true);
    expect(await destroyed).toEqual({ createdAt: now, lastSeenAt: now + 1, lifetime: 0, next });
  });
});

describe('record ids: 32-character keys and 40-character hashed ids', () => {
  it.each([
    ['a key', newKey],
    ['a hashed id', newHashedId],
  ])('%s goes through every operation', async (_label, newId) => {
    const { store, raw, clock } = await setup();
    const now = clock.now();
    const [id, other] = [newId(), newId()];
    const meta = { createdAt: now, lastSeenAt: now, owner: 'dana' };
    expect(await store.create(id, { data: { a: 1 }, expiresAt: now + 60_000, meta })).toBe(true);
    expect(await store.create(id, { data: {}, expiresAt: now + 60_000, meta })).toBe(false);
    expect(await store.create(other, { data: {}, expiresAt: now + 60_000, meta })).toBe(true);
    expect((await raw(id))?.data).toBe('{"a": 1}');
    expect(
      await store.update(id, { data: { a: 2 }, delta: { set: { a: 2 }, unset: [] }, meta: change(now) }),
    ).toBe(true);
    expect(await store.touch(id, change(now + 1))).toBe(true);
    expect((await store.load(id))?.data).toEqual({ a: 2 });
    expect((await store.owners.list('dana')).map((owned) => owned.id).sort()).toEqual([id, other].sort());
    expect(await store.owners.destroyAll('dana', id)).toBe(1);
    expect((await store.owners.list('dana')).map((owned) => owned.id)).toEqual([id]);
    expect(await store.destroy(id)).toMatchObject({ owner: 'dana', lastSeenAt: now + 1 });
  });
});
