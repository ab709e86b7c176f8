import {
  generateSessionKey,
  hashSessionKey,
  type MetaChange,
  type RecordMeta,
  type SessionRecord,
} from '@sess/core/store';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore, type RedisStore } from '../src/index.js';
import { randomPrefix } from './support/clients.js';
import { keySlot } from './support/key-slot.js';
import { TOPOLOGIES } from './support/topologies.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The app's default lifetime in these tests: two weeks, as Django's. */
const DEFAULT_LIFETIME = 1_209_600;

describe.each(TOPOLOGIES)('metadata changes on $name', ({ name, connect }) => {
  let redis: Redis | Cluster;
  let store: RedisStore;

  beforeAll(() => {
    redis = connect();
    store = createRedisStore(redis, { prefix: randomPrefix(`meta-${name.replace(/\W+/g, '-')}`) });
  });

  afterAll(async () => {
    await redis.quit();
  });

  /** A stored record (unowned unless `meta` says so) and its id; hashed ids when `hashed`. */
  async function stored(meta: Partial<RecordMeta> = {}, hashed = false): Promise<[string, SessionRecord]> {
    const id = hashed ? hashSessionKey(generateSessionKey()) : generateSessionKey();
    const now = Date.now();
    const record = {
      data: { cart: [1], user: 'ann' },
      expiresAt: now + HOUR,
      meta: { createdAt: now - MINUTE, lastSeenAt: now - MINUTE, ...meta },
    };
    expect(await store.create(id, record)).toBe(true);
    return [id, record];
  }

  const change = (extra: Partial<MetaChange> = {}): MetaChange => ({
    now: Date.now(),
    defaultLifetime: DEFAULT_LIFETIME,
    ...extra,
  });
  const expiryOf = (id: string) => redis.pexpiretime(store.keyOf(id));

  it('a change without expiry refreshes from the default lifetime and moves lastSeenAt; createdAt stays', async () => {
    const [id, record] = await stored();
    const c = change();
    expect(await store.touch(id, c)).toBe(true);
    expect(await store.load(id)).toEqual({
      data: record.data,
      expiresAt: c.now + DEFAULT_LIFETIME * 1000,
      meta: { createdAt: record.meta.createdAt, lastSeenAt: c.now },
    });
    expect(await expiryOf(id)).toBe(c.now + DEFAULT_LIFETIME * 1000);
  });

  it('a refresh from a fractional instant keeps it exact and rounds the Redis expiry up', async () => {
    const [id] = await stored();
    const c = change({ now: Date.now() + 0.25 });
    expect(await store.touch(id, c)).toBe(true);
    expect((await store.load(id))?.expiresAt).toBe(c.now + DEFAULT_LIFETIME * 1000);
    expect(await expiryOf(id)).toBe(Math.ceil(c.now + DEFAULT_LIFETIME * 1000));
  });

  it('a refresh past 2^53 ms (no exact integer for the client to send) still sets that expiry', async () => {
    const [id] = await stored();
    const c = change({ defaultLifetime: 2 ** 53 / 1000 + 1e6 });
    expect(await store.touch(id, c)).toBe(true);
    expect((await store.load(id))?.expiresAt).toBe(c.now + c.defaultLifetime * 1000);
    expect(await expiryOf(id)).toBe(c.now + c.defaultLifetime * 1000);
  });

  it('a default lifetime of 0 keeps the expiry of a record without a lifetime of its own', async () => {
    const [id, record] = await stored();
    expect(await store.touch(id, change({ defaultLifetime: 0 }))).toBe(true);
    expect((await store.load(id))?.expiresAt).toBe(record.expiresAt);
    expect(await expiryOf(id)).toBe(record.expiresAt);
  });

  it("a refresh slides by the record's own lifetime, capped at its deadline", async () => {
    const [id] = await stored({ lifetime: 600 });
    const c = change();
    await store.update(id, { data: {}, delta: { set: { n: 1 }, unset: [] }, meta: c });
    expect((await store.load(id))?.expiresAt).toBe(c.now + 600_000);
    expect(await expiryOf(id)).toBe(c.now + 600_000);

    const deadline = Date.now() + 5 * MINUTE;
    const [capped] = await stored({ deadline });
    await store.touch(capped, change());
    expect((await store.load(capped))?.expiresAt).toBe(deadline);
    expect(await expiryOf(capped)).toBe(deadline);
  });

  it("a deadline is written only by a change that finds none, and caps that change's refresh", async () => {
    const [id] = await stored();
    const first = Date.now() + 10 * MINUTE;
    await store.touch(id, change({ deadline: first }));
    expect((await store.load(id))?.meta.deadline).toBe(first);
    expect((await store.load(id))?.expiresAt).toBe(first);
    await store.touch(id, change({ deadline: first + HOUR }));
    expect((await store.load(id))?.meta.deadline).toBe(first);
  });

  it('a lifetime of 0 is a fixed instant: a refresh keeps expiresAt and the Redis expiry', async () => {
    const [id, record] = await stored({ lifetime: 0 });
    const c = change();
    await store.touch(id, c);
    const loaded = await store.load(id);
    expect(loaded?.expiresAt).toBe(record.expiresAt);
    expect(loaded?.meta.lastSeenAt).toBe(c.now);
    expect(await expiryOf(id)).toBe(record.expiresAt);
  });

  it('an expiry given is written as given, with its lifetime; null removes the stored lifetime', async () => {
    const [id] = await stored({ lifetime: 600 });
    const at = Date.now() + 90_000.5;
    await store.touch(id, change({ expiry: { expiresAt: at, lifetime: 90 } }));
    expect(await store.load(id)).toMatchObject({ expiresAt: at, meta: { lifetime: 90 } });
    expect(await expiryOf(id)).toBe(Math.ceil(at));
    // The next refresh slides by the new lifetime, from a fractional `now` too, exactly as JS adds.
    const now = Date.now() + 0.25;
    await store.touch(id, change({ now }));
    expect((await store.load(id))?.expiresAt).toBe(now + 90 * 1000);
    await store.touch(id, change({ expiry: { expiresAt: at, lifetime: null } }));
    expect((await store.load(id))?.meta).not.toHaveProperty('lifetime');
    expect(await redis.hexists(store.keyOf(id), '_l')).toBe(0);
  });

  it('owner: a string binds, null unbinds, absent keeps', async () => {
    const [id] = await stored();
    await store.touch(id, change({ owner: 'ann' }));
    expect((await store.load(id))?.meta.owner).toBe('ann');
    await store.update(id, { data: { a: 1 }, meta: change() });
    expect((await store.load(id))?.meta.owner).toBe('ann');
    await store.touch(id, change({ owner: '' }));
    expect((await store.load(id))?.meta.owner).toBe('');
    await store.update(id, { data: {}, delta: { set: { b: 1 }, unset: [] }, meta: change({ owner: null }) });
    expect((await store.load(id))?.meta).not.toHaveProperty('owner');
  });

  it('rotation links: a string sets, null clears, absent keeps; a touch applies them too', async () => {
    const [id] = await stored();
    const [previous, next] = [hashSessionKey(generateSessionKey()), generateSessionKey()];
    await store.update(id, { data: {}, delta: { set: {}, unset: [] }, meta: change({ previous }) });
    await store.touch(id, change({ next }));
    expect((await store.load(id))?.meta).toMatchObject({ previous, next });
    await store.touch(id, change());
    expect((await store.load(id))?.meta).toMatchObject({ previous, next });
    await store.touch(id, change({ previous: null }));
    const meta = (await store.load(id))?.meta;
    expect(meta).not.toHaveProperty('previous');
    expect(meta?.next).toBe(next);
    expect(await redis.hmget(store.keyOf(id), '_p', '_n')).toEqual([null, next]);
  });

  it('a touch leaves the data fields byte for byte; an update without delta replaces only the data', async () => {
    const [id] = await stored({ owner: 'bea', deadline: Date.now() + 2 * HOUR });
    await redis.hset(store.keyOf(id), 'd:raw', '{ "spaced" : true }');
    await store.touch(id, change({ next: generateSessionKey() }));
    expect(await redis.hget(store.keyOf(id), 'd:raw')).toBe('{ "spaced" : true }');
    const before = await store.load(id);
    const c = change();
    await store.update(id, { data: { only: 1 }, meta: c });
    const after = await store.load(id);
    expect(after?.data).toEqual({ only: 1 });
    expect(after?.meta).toEqual({ ...before?.meta, lastSeenAt: c.now });
  });

  it('update and touch of an absent record answer false and write nothing', async () => {
    const id = generateSessionKey();
    expect(await store.touch(id, change({ owner: 'cid' }))).toBe(false);
    expect(await store.update(id, { data: { a: 1 }, meta: change() })).toBe(false);
    expect(await redis.exists(store.keyOf(id))).toBe(0);
  });

  it('destroy returns the metadata as it was and removes the record; null when there is none', async () => {
    const next = generateSessionKey();
    const [id, record] = await stored({ owner: 'dee', deadline: Date.now() + HOUR, lifetime: 60, next });
    expect(await store.destroy(id)).toEqual(record.meta);
    expect(await redis.exists(store.keyOf(id))).toBe(0);
    expect(await store.destroy(id)).toBeNull();
    expect(await store.destroy(generateSessionKey())).toBeNull();
  });

  it('takes 40-character hashed record ids in every operation, in the slot of the id', async () => {
    const [id, record] = await stored({ owner: 'eve' }, true);
    expect(id).toHaveLength(40);
    expect(store.keyOf(id)).toBe(`${store.prefix}{${id}}`);
    if (name === 'a cluster') {
      expect(await (redis as Cluster).cluster('KEYSLOT', store.keyOf(id))).toBe(keySlot(id));
    }
    expect(await store.load(id)).toEqual(record);
    expect(await store.update(id, { data: {}, delta: { set: { x: 1 }, unset: [] }, meta: change() })).toBe(
      true,
    );
    expect(await store.touch(id, change())).toBe(true);
    expect((await store.owners?.list('eve'))?.map((r) => r.id)).toEqual([id]);
    expect((await store.destroy(id))?.owner).toBe('eve');
    expect(await store.load(id)).toBeNull();
  });
});
