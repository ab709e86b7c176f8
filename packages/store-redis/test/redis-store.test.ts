import { generateSessionKey, hashSessionKey, type MetaChange, type SessionRecord } from '@sess/core/store';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore, type RedisStore } from '../src/index.js';
import { randomPrefix, singleClient } from './support/clients.js';

const HOUR = 3_600_000;

/** A change that sets the expiry itself (as a request that called `setExpiry()` or writes the record whole). */
const setting = (expiresAt: number, now = Date.now()): MetaChange => ({
  now,
  defaultLifetime: 3600,
  expiry: { expiresAt, lifetime: null },
});

function record(data: Record<string, unknown>, meta: Partial<SessionRecord['meta']> = {}): SessionRecord {
  const now = Date.now();
  return { data, expiresAt: now + HOUR, meta: { createdAt: now - 1000, lastSeenAt: now, ...meta } };
}

let redis: Redis;
let store: RedisStore;

beforeAll(() => {
  redis = singleClient();
  store = createRedisStore(redis, { prefix: randomPrefix('store') });
});

afterAll(async () => {
  await redis.quit();
});

describe('key layout', () => {
  it('keeps a session in one hash named <prefix>{<key>}, data as JSON per top-level key, meta beside it', async () => {
    const key = generateSessionKey();
    const previous = hashSessionKey(generateSessionKey());
    const rec = record(
      { cart: [1, 2], user: { name: 'ann' }, n: 3 },
      { owner: 'u1', deadline: Date.now() + 2 * HOUR, lifetime: 600, previous, next: 'n'.repeat(32) },
    );
    expect(await store.create(key, rec)).toBe(true);

    expect(store.keyOf(key)).toBe(`${store.prefix}{${key}}`);
    expect(await redis.type(store.keyOf(key))).toBe('hash');
    expect(await redis.hgetall(store.keyOf(key))).toEqual({
      'd:cart': '[1,2]',
      'd:user': '{"name":"ann"}',
      'd:n': '3',
      _c: String(rec.meta.createdAt),
      _s: String(rec.meta.lastSeenAt),
      _e: String(rec.expiresAt),
      _o: 'u1',
      _d: String(rec.meta.deadline),
      _l: '600',
      _p: previous,
      _n: 'n'.repeat(32),
      // The owner index's score for this record: the expiry plus its remaining life (at most a day).
      _i: String(rec.expiresAt + HOUR),
    });
    expect(await store.load(key)).toEqual(rec);
  });

  it('sets the absolute expiry with PEXPIREAT (ms), rounding a fraction up', async () => {
    const key = generateSessionKey();
    const rec = record({ a: 1 });
    await store.create(key, { ...rec, expiresAt: rec.expiresAt + 0.25 });
    expect(await redis.pexpiretime(store.keyOf(key))).toBe(rec.expiresAt + 1);
    expect((await store.load(key))?.expiresAt).toBe(rec.expiresAt + 0.25);
  });

  it('writes a record whose expiry has passed as gone', async () => {
    const key = generateSessionKey();
    expect(await store.create(key, { ...record({ a: 1 }), expiresAt: Date.now() - 1000 })).toBe(true);
    expect(await redis.exists(store.keyOf(key))).toBe(0);
    expect(await store.load(key)).toBeNull();
  });

  it('keeps keys that look like prototype members as own data keys', async () => {
    const key = generateSessionKey();
    const data = JSON.parse('{"__proto__":{"polluted":true},"constructor":"c","toString":1}') as Record<
      string,
      unknown
    >;
    await store.create(key, record(data));
    const loaded = await store.load(key);
    expect(Object.keys(loaded?.data ?? {}).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getPrototypeOf(loaded?.data)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('drops values JSON drops, as JSON.stringify of the whole data would', async () => {
    const key = generateSessionKey();
    await store.create(key, record({ kept: null, gone: undefined, fn: () => 1 }));
    expect((await store.load(key))?.data).toEqual({ kept: null });
    expect(await redis.hkeys(store.keyOf(key))).not.toContain('d:gone');
  });

  it('writes sessions with thousands of top-level keys (scripts unpack arguments in slices)', async () => {
    const key = generateSessionKey();
    const data = Object.fromEntries(Array.from({ length: 3001 }, (_, i) => [`k${i}`, i]));
    await store.create(key, record(data));
    expect((await store.load(key))?.data).toEqual(data);
    const removed = Object.keys(data).slice(0, 2500);
    const set = Object.fromEntries(Array.from({ length: 2100 }, (_, i) => [`n${i}`, i]));
    await store.update(key, { data: {}, delta: { set, unset: removed }, meta: setting(Date.now() + HOUR) });
    expect(Object.keys((await store.load(key))?.data ?? {})).toHaveLength(3001 - 2500 + 2100);
  });

  it('reads a hash it did not write (corrupt JSON, missing meta) as no session', async () => {
    const bad = generateSessionKey();
    await redis.hset(store.keyOf(bad), { _c: '1', _s: '1', _e: String(Date.now() + HOUR), 'd:x': '{nope' });
    expect(await store.load(bad)).toBeNull();
    const foreign = generateSessionKey();
    await redis.hset(store.keyOf(foreign), { 'd:x': '1' });
    expect(await store.load(foreign)).toBeNull();
    await redis.del(store.keyOf(bad), store.keyOf(foreign));
  });
});

describe('atomic writes', () => {
  it('create fails on a taken key and leaves the record alone (the hash form of SET NX)', async () => {
    const key = generateSessionKey();
    const first = record({ who: 'first' });
    expect(await store.create(key, first)).toBe(true);
    expect(await store.create(key, record({ who: 'second' }, { owner: 'x' }))).toBe(false);
    expect(await store.load(key)).toEqual(first);
  });

  it('update of a vanished record reports false and does not re-create it (SET XX)', async () => {
    const key = generateSessionKey();
    await store.create(key, record({ a: 1 }));
    await store.destroy(key);
    expect(await store.update(key, { data: { a: 2 }, meta: setting(Date.now() + HOUR) })).toBe(false);
    expect(await redis.exists(store.keyOf(key))).toBe(0);
  });

  it('an update without delta replaces the data whole and keeps the metadata the change leaves out', async () => {
    const key = generateSessionKey();
    const base = record({ a: 1, b: 2 }, { owner: 'u', deadline: Date.now() + 2 * HOUR });
    await store.create(key, base);
    const now = Date.now();
    expect(await store.update(key, { data: { c: 3 }, meta: setting(now + HOUR, now) })).toBe(true);
    expect(await store.load(key)).toEqual({
      data: { c: 3 },
      expiresAt: now + HOUR,
      meta: { ...base.meta, lastSeenAt: now },
    });
  });

  it('delta updates of different keys from two requests that loaded the same record both survive', async () => {
    const key = generateSessionKey();
    const base = record({ a: 1, b: 1, gone: true });
    await store.create(key, base);
    const firstLoad = await store.load(key);
    const secondLoad = await store.load(key);
    expect(firstLoad).toEqual(secondLoad);
    const at = Date.now();
    const meta = { createdAt: base.meta.createdAt, lastSeenAt: at };
    await store.update(key, {
      data: { a: 2, b: 1, gone: true },
      delta: { set: { a: 2 }, unset: [] },
      meta: setting(at + HOUR, at),
    });
    await store.update(key, {
      data: { a: 1, b: 3 },
      delta: { set: { b: 3 }, unset: ['gone'] },
      meta: setting(at + 2 * HOUR, at),
    });
    expect(await store.load(key)).toEqual({ data: { a: 2, b: 3 }, expiresAt: at + 2 * HOUR, meta });
    expect(await redis.pexpiretime(store.keyOf(key))).toBe(at + 2 * HOUR);
  });

  it('a delta that sets a key to undefined removes its field', async () => {
    const key = generateSessionKey();
    const base = record({ a: 1, b: 2 });
    await store.create(key, base);
    await store.update(key, {
      data: { b: 2 },
      delta: { set: { a: undefined }, unset: [] },
      meta: setting(base.expiresAt),
    });
    expect(await redis.hexists(store.keyOf(key), 'd:a')).toBe(0);
    expect((await store.load(key))?.data).toEqual({ b: 2 });
  });

  it('touch moves expiry and last-seen without rewriting data; false when vanished', async () => {
    const key = generateSessionKey();
    const base = record({ a: 1 });
    await store.create(key, base);
    await redis.hset(store.keyOf(key), 'd:a', '"changed behind the store"');
    const expiresAt = base.expiresAt + HOUR;
    expect(await store.touch(key, setting(expiresAt, base.meta.lastSeenAt + 5))).toBe(true);
    expect(await store.load(key)).toEqual({
      data: { a: 'changed behind the store' },
      expiresAt,
      meta: { ...base.meta, lastSeenAt: base.meta.lastSeenAt + 5 },
    });
    expect(await redis.pexpiretime(store.keyOf(key))).toBe(expiresAt);
    await store.destroy(key);
    expect(await store.touch(key, setting(expiresAt, base.meta.lastSeenAt))).toBe(false);
    expect(await redis.exists(store.keyOf(key))).toBe(0);
  });

  it('rejects a non-finite expiry before anything reaches Redis', async () => {
    const key = generateSessionKey();
    await expect(store.create(key, { ...record({ a: 1 }), expiresAt: Number.NaN })).rejects.toThrow(
      /expiresAt/,
    );
    expect(await redis.exists(store.keyOf(key))).toBe(0);
  });

  it('reloads its scripts after the server forgot them (SCRIPT FLUSH)', async () => {
    const key = generateSessionKey();
    await store.create(key, record({ a: 1 }));
    await redis.script('FLUSH');
    expect(await store.touch(key, setting(Date.now() + HOUR))).toBe(true);
    expect(await store.create(generateSessionKey(), record({ b: 1 }))).toBe(true);
  });
});

describe('expiry', () => {
  it('declares native ms expiry; clearExpired has nothing to do', async () => {
    expect(store.capabilities).toEqual({
      delta: true,
      ownerIndex: true,
      nativeExpiry: true,
      expiryResolution: 'ms',
    });
    expect(await store.clearExpired()).toBe(0);
  });

  it('Redis removes the record at its expiry', async () => {
    const key = generateSessionKey();
    await store.create(key, { ...record({ a: 1 }), expiresAt: Date.now() + 150 });
    expect(await store.load(key)).not.toBeNull();
    await expect.poll(() => store.load(key), { timeout: 5000, interval: 50 }).toBeNull();
    expect(await redis.exists(store.keyOf(key))).toBe(0);
  });
});

describe('the injected client', () => {
  it('honours an ioredis keyPrefix on the client, scripts included', async () => {
    const prefixed = singleClient({ keyPrefix: 'outer:' });
    try {
      const inner = createRedisStore(prefixed, { prefix: randomPrefix('kp') });
      const key = generateSessionKey();
      await inner.create(key, record({ a: 1 }));
      expect(await redis.exists(`outer:${inner.keyOf(key)}`)).toBe(1);
      expect((await inner.load(key))?.data).toEqual({ a: 1 });
      await inner.destroy(key);
      expect(await redis.exists(`outer:${inner.keyOf(key)}`)).toBe(0);
    } finally {
      await prefixed.quit();
    }
  });

  it('is never closed by the store (it has no close)', () => {
    expect('close' in store).toBe(false);
    expect(redis.status).toBe('ready');
  });
});
