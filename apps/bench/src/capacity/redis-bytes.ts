import { systemClock } from '@sess/core';
import { createRedisStore } from '@sess/store-redis';
import { Redis } from 'ioredis';
import { copiesOf, createAll, SESSION_KINDS, type SessionKind, saveSession } from './session-kinds.js';
import { USER_ID } from './visitor.js';

/** A session at rest in Redis. */
export interface RedisBytes {
  /** `MEMORY USAGE` of the session's hash (key, value object and allocations; not its expiry entry). */
  hash: number;
  /** `MEMORY USAGE` of the owner's index, a sorted set holding this one session; 0 when not owned. */
  ownerIndex: number;
  /** `OBJECT ENCODING` of the hash. */
  encoding: string;
  /**
   * Growth of `INFO memory` `used_memory` per session over the bulk sessions: what the server really pays,
   * the keyspace and expiry entries and (owned) one owner index per session included.
   */
  perSession: number;
}

const usedMemory = async (redis: Redis): Promise<number> =>
  Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? Number.NaN);

/**
 * Saves each kind of session through a real manager and reads its size with `MEMORY USAGE`, then creates
 * `bulk` more like it (each owned one with its own owner) and divides the growth of `used_memory`.
 */
export async function redisBytes(redisUrl: string, bulk: number): Promise<Record<SessionKind, RedisBytes>> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableAutoPipelining: true });
  try {
    const store = createRedisStore(redis);
    const sizes = {} as Record<SessionKind, RedisBytes>;
    for (const kind of SESSION_KINDS) {
      const id = await saveSession(kind, store, systemClock);
      const key = store.keyOf(id);
      const hash = Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
      const encoding = String(await redis.call('OBJECT', 'ENCODING', key));
      const ownerIndex =
        kind === 'loggedIn'
          ? Number(await redis.call('MEMORY', 'USAGE', store.ownerKeyOf(USER_ID), 'SAMPLES', '0'))
          : 0;
      const record = await store.load(id);
      if (!record) throw new Error(`capacity: the ${kind} session was not found in Redis`);
      const before = await usedMemory(redis);
      await createAll(store, copiesOf(record, bulk));
      const after = await usedMemory(redis);
      sizes[kind] = { hash, ownerIndex, encoding, perSession: Math.round((after - before) / bulk) };
    }
    return sizes;
  } finally {
    redis.disconnect();
  }
}
