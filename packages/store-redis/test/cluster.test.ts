import { once } from 'node:events';
import { generateSessionKey, type SessionRecord } from '@sess/core/store';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore, type RedisStore } from '../src/index.js';
import { clusterClient, randomPrefix } from './support/clients.js';
import { hashTag, keySlot } from './support/key-slot.js';

const HOUR = 3_600_000;
const record = (owner?: string): SessionRecord => {
  const now = Date.now();
  const meta = { createdAt: now, lastSeenAt: now, ...(owner === undefined ? {} : { owner }) };
  return { data: { visits: 1, cart: ['a'] }, expiresAt: now + HOUR, meta };
};

let cluster: Cluster;
let store: RedisStore;

beforeAll(async () => {
  cluster = clusterClient();
  store = createRedisStore(cluster, { prefix: randomPrefix('cluster') });
  // Keyless commands (CLUSTER KEYSLOT, per-node SCAN) go to any node: wait for the slot map first.
  if (cluster.status !== 'ready') await once(cluster, 'ready');
});

afterAll(async () => {
  await cluster.quit();
});

/** The slot the cluster itself assigns to `key`. */
const serverSlot = (key: string): Promise<number> => cluster.cluster('KEYSLOT', key) as Promise<number>;

describe('key slots', () => {
  it('the CRC16 helper agrees with the server', async () => {
    for (const key of ['123456789', 'somekey', '{user1000}.following', 'foo{}{bar}', 'a{b']) {
      expect(keySlot(key)).toBe(await serverSlot(key));
    }
    expect(keySlot('123456789')).toBe(0x31c3);
  });

  it("a session's keys hash to the slot of the session key alone, whatever the prefix", async () => {
    const key = generateSessionKey();
    const keys = [store.keyOf(key), createRedisStore(cluster, { prefix: 'other:' }).keyOf(key)];
    for (const redisKey of keys) {
      expect(hashTag(redisKey)).toBe(key);
      expect(await serverSlot(redisKey)).toBe(keySlot(key));
    }
  });

  it('an owner index hashes to the slot of the owner', async () => {
    expect(await serverSlot(store.ownerKeyOf('user-42'))).toBe(keySlot('user-42'));
  });
});

describe('on the cluster', () => {
  it('runs every operation, scripts included, on the node that owns the slot', async () => {
    const key = generateSessionKey();
    const rec = record('owner-1');
    expect(await store.create(key, rec)).toBe(true);
    expect(await store.create(key, rec)).toBe(false);
    expect(await store.load(key)).toEqual(rec);
    const at = Date.now();
    const meta = { ...rec.meta, lastSeenAt: at };
    const change = { now: at, defaultLifetime: 3600 };
    expect(
      await store.update(key, { data: {}, delta: { set: { visits: 2 }, unset: ['cart'] }, meta: change }),
    ).toBe(true);
    expect(await store.touch(key, { ...change, expiry: { expiresAt: at + 2 * HOUR, lifetime: null } })).toBe(
      true,
    );
    expect(await store.load(key)).toEqual({ data: { visits: 2 }, expiresAt: at + 2 * HOUR, meta });
    expect(await store.destroy(key)).toEqual(meta);
    expect(await store.load(key)).toBeNull();
    expect(await store.update(key, { data: {}, meta: change })).toBe(false);
  });

  it('spreads sessions over at least two masters', async () => {
    const keys = Array.from({ length: 50 }, () => generateSessionKey());
    await Promise.all(keys.map((key) => store.create(key, record())));
    const masters = cluster.nodes('master');
    const counts = await Promise.all(
      masters.map(async (node) => {
        let found = 0;
        let cursor = '0';
        do {
          const [next, batch] = await node.scan(cursor, 'MATCH', `${store.prefix}{*}`, 'COUNT', 1000);
          cursor = next;
          found += batch.length;
        } while (cursor !== '0');
        return found;
      }),
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(50);
    expect(counts.filter((count) => count > 0).length).toBeGreaterThanOrEqual(2);
  });

  it('keeps an owner index whose sessions live on other masters', async () => {
    const keys = Array.from({ length: 12 }, () => generateSessionKey());
    for (const key of keys) await store.create(key, record('spread-owner'));
    const slots = new Set(keys.map(keySlot));
    expect(slots.size).toBeGreaterThan(1);
    expect((await store.owners?.list('spread-owner'))?.map((r) => r.id).sort()).toEqual([...keys].sort());
    expect(await store.owners?.destroyAll('spread-owner', keys[0])).toBe(11);
    expect((await store.owners?.list('spread-owner'))?.map((r) => r.id)).toEqual([keys[0]]);
  });
});
