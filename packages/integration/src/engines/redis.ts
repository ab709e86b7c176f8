import { randomBytes } from 'node:crypto';
import type { RecordMeta, SessionData } from '@sess/core/store';
import { createRedisStore, type RedisStore } from '@sess/store-redis';
import { redisClusterNodes, redisUrl } from '@sess/test-harness';
import { Cluster, Redis } from 'ioredis';
import type { Engine, RawRecord } from './engine.js';

/** Decodes a session hash as HGETALL returns it (`d:<name>` data fields, `_c _s _e _o _d _l _p _n` metadata). */
export function decodeSessionHash(hash: Record<string, string>): RawRecord | null {
  if (Object.keys(hash).length === 0) return null;
  const data: SessionData = {};
  for (const [field, json] of Object.entries(hash)) {
    if (field.startsWith('d:')) data[field.slice(2)] = JSON.parse(json);
  }
  const meta: RecordMeta = { createdAt: Number(hash._c), lastSeenAt: Number(hash._s) };
  if (hash._o !== undefined) meta.owner = hash._o;
  if (hash._d !== undefined) meta.deadline = Number(hash._d);
  if (hash._l !== undefined) meta.lifetime = Number(hash._l);
  if (hash._p !== undefined) meta.previous = hash._p;
  if (hash._n !== undefined) meta.next = hash._n;
  return { data, expiresAt: Number(hash._e), meta };
}

function redisEngineOn(client: Redis | Cluster, cluster: boolean): Engine {
  // ioredis only logs 'error' events without a listener; the stores surface the failures themselves.
  client.on('error', () => {});
  return {
    name: cluster ? 'redis-cluster' : 'redis',
    title: cluster ? 'Redis Cluster' : 'Redis',
    realTimeExpiry: true,
    async storage() {
      const store: RedisStore = createRedisStore(client, {
        prefix: `integ:${randomBytes(6).toString('hex')}:`,
      });
      return {
        store,
        raw: async (key) => decodeSessionHash(await client.hgetall(store.keyOf(key))),
      };
    },
    close: async () => {
      await client.quit();
    },
  };
}

/** `@sess/store-redis` on the run's single server (the README's client settings), a random prefix per storage. */
export function redisEngine(): Engine {
  return redisEngineOn(new Redis(redisUrl(), { maxRetriesPerRequest: 1 }), false);
}

/** `@sess/store-redis` on the run's Redis Cluster. */
export function redisClusterEngine(): Engine {
  return redisEngineOn(new Cluster(redisClusterNodes(), { redisOptions: { maxRetriesPerRequest: 1 } }), true);
}
