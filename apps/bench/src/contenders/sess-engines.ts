import { createMemoryStore, type SessionManagerOptions } from '@sess/core';
import { createCookieStore } from '@sess/store-cookie';
import { createDbStore } from '@sess/store-db';
import { createFileStore } from '@sess/store-file';
import { createMemcachedStore } from '@sess/store-memcached';
import { createRedisStore } from '@sess/store-redis';
import { ioredisClient, memcachedClient, need, pgPool } from './clients.js';
import { SECRET } from './shared.js';
import type { StartOptions } from './types.js';

/** The manager options that pick the engine, and what to release on close. */
export interface SessEngine {
  options: Pick<SessionManagerOptions, 'store'>;
  close(): Promise<void>;
}

/**
 * Each engine configured as its README shows for production: the user's own client, the store's
 * defaults, sealed (AES-256-GCM) cookies.
 */
export async function sessEngine(options: StartOptions): Promise<SessEngine> {
  switch (options.variant) {
    case 'memory':
      return { options: { store: createMemoryStore() }, close: async () => {} };
    case 'file':
      return {
        options: { store: createFileStore({ directory: need(options.fileDir, 'fileDir') }) },
        close: async () => {},
      };
    case 'cookie':
      return { options: { store: createCookieStore({ secretKey: SECRET }) }, close: async () => {} };
    case 'db': {
      const pool = pgPool(options.databaseUrl);
      const store = createDbStore(pool);
      await store.migrate();
      return { options: { store }, close: () => pool.end() };
    }
    case 'redis': {
      const redis = ioredisClient(options.redisUrl);
      return {
        options: { store: createRedisStore(redis) },
        close: async () => {
          redis.disconnect();
        },
      };
    }
    case 'memcached': {
      const client = memcachedClient(options.memcachedServers);
      return {
        options: { store: createMemcachedStore(client) },
        close: async () => client.end(),
      };
    }
    default:
      throw new Error(`bench: no sess engine named ${options.variant}`);
  }
}
