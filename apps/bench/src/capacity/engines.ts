import { type Clock, createMemoryStore } from '@sess/core';
import type { SessionStore } from '@sess/core/store';
import { createDbStore } from '@sess/store-db';
import { createFileStore } from '@sess/store-file';
import { createMemcachedStore, recommendedClientOptions } from '@sess/store-memcached';
import { createRedisStore } from '@sess/store-redis';
import { Redis } from 'ioredis';
import Memcached from 'memcached';
import pg from 'pg';
import {
  memcachedServerCounter,
  pgServerCounter,
  redisServerCounter,
  type ServerCounter,
} from './server-commands.js';

/** The engines sized: the four server engines, and memory (round trips only). */
export const ENGINES = ['memory', 'redis', 'postgres', 'memcached', 'file'] as const;

/** One of {@link ENGINES}. */
export type EngineId = (typeof ENGINES)[number];

/** The engines' display names. */
export const ENGINE_NAMES: Record<EngineId, string> = {
  memory: 'memory',
  redis: 'Redis',
  postgres: 'PostgreSQL',
  memcached: 'memcached',
  file: 'file',
};

/** Where the servers of a capacity run are (started by the test harness). */
export interface CapacityServers {
  /** `redis://127.0.0.1:PORT` of a Redis no one else uses during the run (its counters must be ours). */
  redisUrl: string;
  /** A database of its own on a PostgreSQL server. */
  databaseUrl: string;
  /** `host:port` of one memcached no one else uses during the run. */
  memcachedServers: string[];
  /** An empty directory for the file engine. */
  fileDir: string;
}

/** An engine as its README configures it, with the server counter that sees its traffic. */
export interface EngineUnderTest {
  id: EngineId;
  store: SessionStore;
  /** Undefined for memory and file: they have no server. */
  counter: ServerCounter | undefined;
  close(): Promise<void>;
}

/**
 * Opens engine `id` as its README shows for production (the user's own client, the store's defaults,
 * ioredis auto-pipelined), reading `clock` wherever the engine takes one. Redis and memcached expire on
 * their own clocks: `clock` must then stay ahead of real time, never behind it.
 */
export async function openEngine(
  id: EngineId,
  servers: CapacityServers,
  clock: Clock,
): Promise<EngineUnderTest> {
  switch (id) {
    case 'memory':
      return { id, store: createMemoryStore({ clock }), counter: undefined, close: async () => {} };
    case 'file':
      return {
        id,
        store: createFileStore({ directory: servers.fileDir, clock }),
        counter: undefined,
        close: async () => {},
      };
    case 'postgres': {
      const pool = new pg.Pool({ connectionString: servers.databaseUrl });
      pool.on('error', () => {});
      const store = createDbStore(pool, { clock });
      await store.migrate();
      return { id, store, counter: pgServerCounter(), close: () => pool.end() };
    }
    case 'redis': {
      const redis = new Redis(servers.redisUrl, { maxRetriesPerRequest: 1, enableAutoPipelining: true });
      const counter = await redisServerCounter(servers.redisUrl);
      return {
        id,
        store: createRedisStore(redis),
        counter,
        close: async () => {
          counter.close();
          redis.disconnect();
        },
      };
    }
    case 'memcached': {
      const client = new Memcached(servers.memcachedServers, { ...recommendedClientOptions });
      return {
        id,
        store: createMemcachedStore(client),
        counter: memcachedServerCounter(servers.memcachedServers),
        close: async () => client.end(),
      };
    }
  }
}
