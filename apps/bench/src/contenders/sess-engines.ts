import { createMemoryStore, type SessionManagerOptions } from '@sess/core';
import { createCookieStore } from '@sess/store-cookie';
import { createDbStore } from '@sess/store-db';
import { createFileStore } from '@sess/store-file';
import { createMemcachedStore, recommendedClientOptions } from '@sess/store-memcached';
import { createRedisStore } from '@sess/store-redis';
import { Redis } from 'ioredis';
import Memcached from 'memcached';
import pg from 'pg';
import { SECRET } from './shared.js';
import type { StartOptions } from './types.js';

/** The manager options that pick the engine, and what to release on close. */
export interface SessEngine {
  options: Pick<SessionManagerOptions, 'store'>;
  close(): Promise<void>;
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`bench: this contender needs ${what}`);
  return value;
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
      const pool = new pg.Pool({ connectionString: need(options.databaseUrl, 'databaseUrl') });
      pool.on('error', (error) => console.error('idle PostgreSQL connection lost', error));
      const store = createDbStore(pool);
      await store.migrate();
      return { options: { store }, close: () => pool.end() };
    }
    case 'redis': {
      const redis = new Redis(need(options.redisUrl, 'redisUrl'), {
        maxRetriesPerRequest: 1,
        enableAutoPipelining: true,
      });
      return {
        options: { store: createRedisStore(redis) },
        close: async () => {
          redis.disconnect();
        },
      };
    }
    case 'memcached': {
      const client = new Memcached(need(options.memcachedServers, 'memcachedServers'), {
        ...recommendedClientOptions,
      });
      return {
        options: { store: createMemcachedStore(client) },
        close: async () => client.end(),
      };
    }
    default:
      throw new Error(`bench: no sess engine named ${options.variant}`);
  }
}
