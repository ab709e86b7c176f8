import { createTestClock } from '@sess/core/testing';
import { describe, expect, it } from 'vitest';
import { createDbStore } from '../src/index.js';
import { change, newHashedId, newKey, openTestDb, rawRow, record, uniqueTable } from './support.js';

const db = await openTestDb('store_db_clock');
const HOUR = 3_600_000;

/** A store on its own table reading `clock`, and the raw row reader for that table. */
async function storeWith(clock: { now(): number }) {
  const table = uniqueTable('clock');
  const store = createDbStore(db.pool, { tableName: table, clock });
  await store.migrate();
  return { store, table, raw: (key: string) => rawRow(db.pool, table, key) };
}

describe('expiry is judged by the store clock, never the database clock', () => {
  it('a clock moved past the expiry makes the row invisible to load, update, touch and the owner index', async () => {
    const clock = createTestClock(Date.now());
    const { store, raw } = await storeWith(clock);
    const key = newKey();
    const start = clock.now();
    expect(await store.create(key, record({ v: 1 }, start, HOUR, 'alice'))).toBe(true);
    expect((await store.load(key))?.data).toEqual({ v: 1 });
    expect(await store.owners.list('alice')).toHaveLength(1);

    clock.set(start + HOUR);
    expect(await store.load(key)).toBeNull();
    expect(await store.update(key, { data: { v: 2 }, meta: change(start + HOUR) })).toBe(false);
    expect(await store.touch(key, change(start + HOUR))).toBe(false);
    expect(await store.owners.list('alice')).toEqual([]);
    expect((await raw(key))?.data).toBe('{"v": 1}');

    clock.set(start + HOUR - 1);
    expect((await store.load(key))?.data).toEqual({ v: 1 });

    clock.set(start + HOUR);
    expect(await store.destroy(key)).toBeNull();
    expect(await raw(key)).toBeNull();
  });

  it('a row the real time says is expired is live while the store clock says so', async () => {
    const past = Date.UTC(2001, 0, 1);
    const clock = createTestClock(past);
    const { store } = await storeWith(clock);
    const key = newKey();
    expect(await store.create(key, record({ old: true }, past, 60_000))).toBe(true);
    expect((await store.load(key))?.data).toEqual({ old: true });
    expect(await store.clearExpired()).toBe(0);
    expect(
      await store.touch(key, change(past, { expiry: { expiresAt: past + 120_000, lifetime: null } })),
    ).toBe(true);
    expect((await store.load(key))?.expiresAt).toBe(past + 120_000);
  });

  it('clearExpired() deletes what the store clock calls expired, and nothing else', async () => {
    const clock = createTestClock(Date.now());
    const { store, raw } = await storeWith(clock);
    const now = clock.now();
    const soon = newKey();
    const later = newKey();
    await store.create(soon, record({}, now, 1_000));
    await store.create(later, record({}, now, 10_000));
    expect(await store.clearExpired()).toBe(0);
    clock.set(now + 1_000);
    expect(await store.clearExpired()).toBe(1);
    expect(await raw(soon)).toBeNull();
    expect(await raw(later)).not.toBeNull();
  });

  it('create reuses a key whose row the store clock calls expired, but never a live one', async () => {
    const clock = createTestClock(Date.now());
    const { store, raw } = await storeWith(clock);
    const now = clock.now();
    const key = newKey();
    expect(await store.create(key, record({ first: true }, now, 1_000, 'bob'))).toBe(true);
    expect(await store.create(key, record({ second: true }, now, 1_000))).toBe(false);
    clock.set(now + 1_000);
    expect(await store.create(key, record({ third: true }, now + 1_000, 5_000))).toBe(true);
    const row = await raw(key);
    expect(row).toMatchObject({
      data: '{"third": true}',
      expiresAt: now + 6_000,
      owner: null,
      createdAt: now + 1_000,
    });
  });

  it('keeps millisecond precision of every instant', async () => {
    const at = Date.UTC(2030, 5, 15, 12, 34, 56, 789);
    const clock = createTestClock(at - 1);
    const { store, raw } = await storeWith(clock);
    const key = newKey();
    const meta = {
      createdAt: at - 123_457,
      lastSeenAt: at - 1,
      owner: 'o',
      deadline: at + 999_999_999,
      lifetime: 300,
      previous: newHashedId(),
      next: newKey(),
    };
    expect(await store.create(key, { data: {}, expiresAt: at, meta })).toBe(true);
    expect(await store.load(key)).toEqual({ data: {}, expiresAt: at, meta });
    expect(await raw(key)).toEqual({
      data: '{}',
      expiresAt: at,
      createdAt: meta.createdAt,
      lastSeenAt: meta.lastSeenAt,
      owner: 'o',
      deadline: meta.deadline,
      lifetime: 300,
      previous: meta.previous,
      next: meta.next,
    });
    clock.set(at);
    expect(await store.load(key)).toBeNull();
  });
});
