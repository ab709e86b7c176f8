import { createDjangoSigner, DJANGO_SESSION_SALT } from '@sess/core/codecs';
import { toPythonIsoFormat } from '@sess/core/store';
import { createTestClock } from '@sess/core/testing';
import { describe, expect, it } from 'vitest';
import { createDjangoDbStore } from '../src/index.js';
import { newSecretKey } from './django-support.js';
import {
  change,
  countingPool,
  DEFAULT_LIFETIME,
  newKey,
  openTestDb,
  quoteTable,
  uniqueTable,
} from './support.js';

/**
 * The Django format keeps what Django keeps: `session_data` and `expire_date`. A write's expiry is the
 * change's, or refreshed from `_session_expiry` in the data it writes (as Django computes `expire_date` on
 * save); the other MetaChange fields have no column to go to. One statement per operation.
 */
const db = await openTestDb('store_db_django_writes');
const secretKey = newSecretKey();
const reader = createDjangoSigner({ secret: secretKey, salt: DJANGO_SESSION_SALT, parse: JSON.parse });

async function setup() {
  const table = uniqueTable('django_writes');
  const clock = createTestClock(Date.now());
  const pool = countingPool(db.pool);
  const store = createDjangoDbStore(pool, { secretKey, tableName: table, clock });
  await store.migrate();
  const row = async (key: string) => {
    const { rows } = await db.pool.query(
      `SELECT session_data, expire_date FROM ${quoteTable(table)} WHERE session_key = $1`,
      [key],
    );
    const found = rows[0];
    return found
      ? { data: found.session_data as string, expireDate: (found.expire_date as Date).getTime() }
      : null;
  };
  const now = clock.now();
  const key = newKey();
  await store.create(key, {
    data: { a: 1 },
    expiresAt: now + 3_600_000,
    meta: { createdAt: now, lastSeenAt: now },
  });
  pool.statements.length = 0;
  return { store, pool, clock, now, key, row };
}

describe('update in the Django format', () => {
  it.each([
    ['no _session_expiry: the default lifetime', {}, DEFAULT_LIFETIME * 1000],
    ['_session_expiry 300: an age of 300 s', { _session_expiry: 300 }, 300_000],
    [
      '_session_expiry 0 (at browser close): the default lifetime',
      { _session_expiry: 0 },
      DEFAULT_LIFETIME * 1000,
    ],
  ])('without an expiry of its own slides from the data: %s', async (_label, data, slide) => {
    const { store, pool, now, key, row } = await setup();
    expect(await store.update(key, { data: { b: 2, ...data }, meta: change(now + 7) })).toBe(true);
    expect(pool.statements).toHaveLength(1);
    expect((await row(key))?.expireDate).toBe(now + 7 + slide);
  });

  it('keeps the row’s expire_date when the data holds a date (a fixed instant)', async () => {
    const { store, now, key, row } = await setup();
    const fixed = toPythonIsoFormat(new Date(now + 3_600_000));
    expect(await store.update(key, { data: { _session_expiry: fixed }, meta: change(now + 7) })).toBe(true);
    expect((await row(key))?.expireDate).toBe(now + 3_600_000);
  });

  it('writes the expiry the change carries, and the data whole, signed', async () => {
    const { store, now, key, row } = await setup();
    const expiry = { expiresAt: now + 60_000, lifetime: 60 };
    expect(
      await store.update(key, { data: { b: 2, _session_expiry: 60 }, meta: change(now, { expiry }) }),
    ).toBe(true);
    const stored = await row(key);
    expect(stored?.expireDate).toBe(now + 60_000);
    const opened = reader.loads(stored?.data as string);
    expect(opened.ok && opened.value).toEqual({ b: 2, _session_expiry: 60 });
  });

  it('unbinding, lifetimes and rotation links have no column and change nothing else', async () => {
    const { store, now, key, row } = await setup();
    const meta = change(now, { owner: null, previous: newKey(), next: null });
    expect(await store.update(key, { data: { c: 3 }, meta })).toBe(true);
    expect((await store.load(key))?.data).toEqual({ c: 3 });
    expect((await row(key))?.expireDate).toBe(now + DEFAULT_LIFETIME * 1000);
  });
});

describe('touch in the Django format', () => {
  it('moves expire_date only (as given, or by the default lifetime) and leaves session_data as it was', async () => {
    const { store, pool, now, key, row } = await setup();
    const before = await row(key);
    expect(
      await store.touch(key, change(now + 3, { expiry: { expiresAt: now + 90_000, lifetime: null } })),
    ).toBe(true);
    expect(await row(key)).toEqual({ data: before?.data, expireDate: now + 90_000 });
    expect(await store.touch(key, change(now + 4))).toBe(true);
    expect(await row(key)).toEqual({ data: before?.data, expireDate: now + 4 + DEFAULT_LIFETIME * 1000 });
    expect(pool.statements).toHaveLength(2);
  });
});

describe('destroy in the Django format', () => {
  it('returns the load-time metadata of a live row in one DELETE … RETURNING, null otherwise', async () => {
    const { store, pool, clock, now, key, row } = await setup();
    clock.set(now + 10);
    expect(await store.destroy(key)).toEqual({ createdAt: now + 10, lastSeenAt: now + 10 });
    expect(pool.statements).toEqual([expect.stringMatching(/^DELETE .* RETURNING /s)]);
    expect(await row(key)).toBeNull();
    expect(await store.destroy(key)).toBeNull();

    const expired = newKey();
    await store.create(expired, { data: {}, expiresAt: now + 11, meta: { createdAt: now, lastSeenAt: now } });
    clock.set(now + 11);
    expect(await store.destroy(expired)).toBeNull();
    expect(await row(expired)).toBeNull();
  });
});
