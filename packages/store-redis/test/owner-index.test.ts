import { generateSessionKey, type MetaChange, type SessionRecord } from '@sess/core/store';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore, type RedisStore } from '../src/index.js';
import { randomPrefix, singleClient } from './support/clients.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A write that sets the expiry and, when given, binds (a string) or unbinds (null) the owner. */
function change(expiresAt: number, owner?: string | null): MetaChange {
  const base: MetaChange = { now: Date.now(), defaultLifetime: 3600, expiry: { expiresAt, lifetime: null } };
  return owner === undefined ? base : { ...base, owner };
}

function owned(owner: string | undefined, createdAt: number, expiresAt = createdAt + HOUR): SessionRecord {
  const meta =
    owner === undefined ? { createdAt, lastSeenAt: createdAt } : { createdAt, lastSeenAt: createdAt, owner };
  return { data: { n: createdAt }, expiresAt, meta };
}

let redis: Redis;
let store: RedisStore;
const owners = () => {
  if (!store.owners) throw new Error('the store should offer owners');
  return store.owners;
};

beforeAll(() => {
  redis = singleClient();
  store = createRedisStore(redis, { prefix: randomPrefix('owners') });
});

afterAll(async () => {
  await redis.quit();
});

describe('owner index', () => {
  it('keeps one sorted set per owner, scored past the expiry (plus up to a day), that expires with its last member', async () => {
    const now = Date.now();
    const [a, b] = [generateSessionKey(), generateSessionKey()];
    await store.create(a, owned('alice', now, now + HOUR));
    await store.create(b, owned('alice', now, now + 2 * DAY));
    const index = store.ownerKeyOf('alice');
    expect(index).toBe(`${store.prefix}owner:{alice}`);
    // The headroom is the record's remaining life, at most a day.
    expect(await redis.zrange(index, 0, -1, 'WITHSCORES')).toEqual([
      a,
      String(now + 2 * HOUR),
      b,
      String(now + 3 * DAY),
    ]);
    expect(await redis.hget(store.keyOf(a), '_i')).toBe(String(now + 2 * HOUR));
    expect(await redis.pexpiretime(index)).toBe(now + 3 * DAY);
    // Within the score: no index write. Past it: the index is raised first.
    expect(await store.touch(a, change(now + 2 * HOUR))).toBe(true);
    expect(await redis.zscore(index, a)).toBe(String(now + 2 * HOUR));
    expect(await store.touch(a, change(now + 4 * DAY))).toBe(true);
    expect(await redis.zscore(index, a)).toBe(String(now + 5 * DAY));
    expect(await redis.hget(store.keyOf(a), '_i')).toBe(String(now + 5 * DAY));
    expect(await redis.pexpiretime(index)).toBe(now + 5 * DAY);
  });

  it('lists the live sessions of an owner, oldest first, with their meta', async () => {
    const now = Date.now();
    const keys = [generateSessionKey(), generateSessionKey(), generateSessionKey()];
    await store.create(keys[2] as string, owned('bob', now - 100));
    await store.create(keys[0] as string, owned('bob', now - 300));
    await store.create(keys[1] as string, owned('bob', now - 200));
    await store.create(generateSessionKey(), owned('carol', now));
    const listed = await owners().list('bob');
    expect(listed.map((r) => r.id)).toEqual(keys);
    expect(listed[0]).toEqual({
      id: keys[0],
      meta: { createdAt: now - 300, lastSeenAt: now - 300, owner: 'bob' },
      expiresAt: now - 300 + HOUR,
    });
    await store.destroy(keys[1] as string);
    expect((await owners().list('bob')).map((r) => r.id)).toEqual([keys[0], keys[2]]);
  });

  it('follows a session to its new owner and away from a removed one', async () => {
    const now = Date.now();
    const key = generateSessionKey();
    await store.create(key, owned('dave', now));
    await store.update(key, { data: {}, meta: change(now + HOUR, 'erin') });
    expect(await owners().list('dave')).toEqual([]);
    expect((await owners().list('erin')).map((r) => r.id)).toEqual([key]);
    await store.update(key, { data: {}, meta: change(now + HOUR, null) });
    expect(await owners().list('erin')).toEqual([]);
    expect(await redis.hmget(store.keyOf(key), '_o', '_i')).toEqual([null, null]);
  });

  it('destroyAll removes every session of the owner except the given one, and none of anyone else', async () => {
    const now = Date.now();
    const [keep, x, y, moved, other] = Array.from({ length: 5 }, () => generateSessionKey()) as [
      string,
      string,
      string,
      string,
      string,
    ];
    for (const key of [keep, x, y, moved]) await store.create(key, owned('frank', now));
    await store.create(other, owned('grace', now));
    await store.update(moved, { data: {}, meta: change(now + HOUR, 'grace') });

    expect(await owners().destroyAll('frank', keep)).toBe(2);
    expect(await redis.exists(store.keyOf(x), store.keyOf(y))).toBe(0);
    expect(await store.load(keep)).not.toBeNull();
    expect(await store.load(moved)).not.toBeNull();
    expect(await store.load(other)).not.toBeNull();
    expect((await redis.zrange(store.ownerKeyOf('frank'), 0, -1)).sort()).toEqual([keep, moved].sort());
    expect(await owners().destroyAll('frank')).toBe(1);
    expect(await owners().list('frank')).toEqual([]);
  });

  it('writes the index before the session, so a created session is always indexed', async () => {
    const now = Date.now();
    const key = generateSessionKey();
    expect(await store.create(key, owned('heidi', now))).toBe(true);
    expect(await redis.zscore(store.ownerKeyOf('heidi'), key)).toBe(String(now + 2 * HOUR));
  });

  it('drops members whose expiry passed by the server clock when the index is next written', async () => {
    const now = Date.now();
    const index = store.ownerKeyOf('ivan');
    await redis.zadd(index, now - 1000, 'stale-member');
    const key = generateSessionKey();
    await store.create(key, owned('ivan', now));
    expect(await redis.zrange(index, 0, -1)).toEqual([key]);
  });

  it('owner names with braces or colons stay separate indexes', async () => {
    const now = Date.now();
    const [a, b] = [generateSessionKey(), generateSessionKey()];
    await store.create(a, owned('x}y', now));
    await store.create(b, owned('x', now));
    expect((await owners().list('x}y')).map((r) => r.id)).toEqual([a]);
    expect((await owners().list('x')).map((r) => r.id)).toEqual([b]);
  });

  it('with ownerIndex: false, declares no owner index, offers no owners and writes no index', async () => {
    const plain = createRedisStore(redis, { prefix: randomPrefix('plain'), ownerIndex: false });
    expect(plain.capabilities.ownerIndex).toBe(false);
    expect(plain.owners).toBeUndefined();
    expect('owners' in plain).toBe(false);
    const key = generateSessionKey();
    await plain.create(key, owned('judy', Date.now()));
    expect(await redis.exists(plain.ownerKeyOf('judy'))).toBe(0);
    expect((await plain.load(key))?.meta.owner).toBe('judy');
    expect(await plain.update(key, { data: {}, meta: change(Date.now() + HOUR, 'kim') })).toBe(true);
    expect(await redis.exists(plain.ownerKeyOf('kim'))).toBe(0);
    expect(await redis.hexists(plain.keyOf(key), '_i')).toBe(0);
  });
});
