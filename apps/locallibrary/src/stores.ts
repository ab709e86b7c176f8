import { randomBytes } from 'node:crypto';
import { createMemoryStore, type StoreOption } from '@sess/core';
import { createCookieStore } from '@sess/store-cookie';
import { createDbStore } from '@sess/store-db';
import { createFileStore, defaultDirectory } from '@sess/store-file';
import { createMemcachedStore, recommendedClientOptions } from '@sess/store-memcached';
import { createRedisStore } from '@sess/store-redis';
import { Redis } from 'ioredis';
import Memcached from 'memcached';
import pg from 'pg';
import { ConfigError, type EngineName, type SessionCompat } from './config.js';
import { createDjangoEngine } from './django-stores.js';
import { type Env, hostOf, nothingToClose, required } from './engine-env.js';

/** The engine the site runs on, ready to hand to the adapter. */
export interface SessionEngine {
  name: EngineName;
  /** Where the sessions live, for the page footer and the start-up line. */
  where: string;
  /** A server store, or the cookie engine: the manager's `store` option. */
  store: StoreOption;
  /** Removes expired sessions, for engines whose storage does not expire them itself. */
  clearExpired?: () => Promise<number>;
  /** Closes the clients this module opened (pool, connections). */
  close(): Promise<void>;
}

let warnedAboutSecret = false;

/**
 * The cookie engine's secret: `SESSION_SECRET`, or, outside production, a random one for this run (with a
 * warning, once per process: sessions then die with the process).
 */
function cookieSecret(env: Env): string {
  const secret = env.SESSION_SECRET;
  if (secret !== undefined && secret !== '') return secret;
  if (env.NODE_ENV === 'production') {
    throw new ConfigError('SESSION_STORE=cookie needs SESSION_SECRET (32 characters or more) in production');
  }
  if (!warnedAboutSecret) {
    warnedAboutSecret = true;
    console.warn(
      'locallibrary: SESSION_SECRET is not set; sealing cookies with a random secret for this run only ' +
        '(every session ends when the process stops). Set SESSION_SECRET to 32 or more random characters.',
    );
  }
  return randomBytes(32).toString('base64url');
}

/**
 * Builds the engine `name`, reading its settings from `env`: in sess's own formats, or with `compat`
 * `'django'` in the formats of a Django project's `db`, `file` or `signed_cookies` engine.
 */
export async function createEngine(
  name: EngineName,
  env: Env,
  compat: SessionCompat = 'sess',
): Promise<SessionEngine> {
  if (compat === 'django') return createDjangoEngine(name, env);
  switch (name) {
    case 'memory':
      return { name, where: 'this process', store: createMemoryStore(), close: nothingToClose };
    case 'file': {
      const directory = env.SESSION_FILE_PATH?.trim() || defaultDirectory();
      const store = createFileStore({ directory });
      return {
        name,
        where: directory,
        store,
        clearExpired: () => store.clearExpired(),
        close: nothingToClose,
      };
    }
    case 'cookie':
      return {
        name,
        where: 'the browser, sealed with AES-256-GCM',
        store: createCookieStore({ secretKey: cookieSecret(env) }),
        close: nothingToClose,
      };
    case 'db': {
      const url = required(env, 'DATABASE_URL', name);
      const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 3000 });
      pool.on('error', (error) => console.error('locallibrary: idle PostgreSQL connection lost', error));
      const store = createDbStore(pool);
      try {
        await store.migrate();
      } catch (error) {
        await pool.end();
        throw error;
      }
      return {
        name,
        where: hostOf(url),
        store,
        clearExpired: () => store.clearExpired(),
        close: () => pool.end(),
      };
    }
    case 'redis': {
      const url = required(env, 'REDIS_URL', name);
      const redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 4000 });
      redis.on('error', (error) => console.error('locallibrary: Redis connection error', error.message));
      return {
        name,
        where: hostOf(url),
        store: createRedisStore(redis),
        close: async () => {
          await redis.quit();
        },
      };
    }
    case 'memcached': {
      const servers = required(env, 'MEMCACHED_SERVERS', name)
        .split(',')
        .map((server) => server.trim())
        .filter(Boolean);
      const client = new Memcached(servers, { ...recommendedClientOptions });
      return {
        name,
        where: servers.join(', '),
        store: createMemcachedStore(client),
        close: async () => client.end(),
      };
    }
  }
}
