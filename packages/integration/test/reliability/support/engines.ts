import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Clock } from '@sess/core';
import type { SessionStore } from '@sess/core/store';
import { createDbStore } from '@sess/store-db';
import { createFileStore } from '@sess/store-file';
import { createMemcachedStore, recommendedClientOptions } from '@sess/store-memcached';
import { createRedisStore } from '@sess/store-redis';
import { createTestDatabase, memcachedServers, redisUrl } from '@sess/test-harness';
import { Redis } from 'ioredis';
import Memcached from 'memcached';
import pg from 'pg';

/** The server engines, on the run's shared servers (the file engine in a temp directory). */
export const SERVER_ENGINES = ['db', 'redis', 'memcached', 'file'] as const;
export type EngineName = (typeof SERVER_ENGINES)[number];

/** A store on a real server, with a raw look at what the server holds. */
export interface OpenEngine {
  name: EngineName;
  store: SessionStore;
  /** Whether the server holds a record under `key`, read around the store (expired or not). */
  holds(key: string): Promise<boolean>;
  /**
   * Everything the server holds for this engine, as text (rows, keys and values, file names and contents),
   * or null where the server cannot list what it holds (memcached).
   */
  dump(): Promise<string | null>;
  /** Closes the client (or removes the directory) this engine opened. */
  close(): Promise<void>;
}

const label = (name: string) => `rel_${name}_${randomBytes(4).toString('hex')}`;

async function openDb(clock?: Clock): Promise<OpenEngine> {
  const database = await createTestDatabase('rel');
  // A pool at its full size for the whole file, idle connections kept (no idle timers): the soak's
  // leak check compares open sockets and timers with a baseline, which a pool growing from 9 to 10
  // connections under load would otherwise cross without any leak.
  const POOL_SIZE = 10;
  const pool = new pg.Pool({ connectionString: database.url, max: POOL_SIZE, idleTimeoutMillis: 0 });
  pool.on('error', () => {});
  const clients = await Promise.all(Array.from({ length: POOL_SIZE }, () => pool.connect()));
  for (const client of clients) client.release();
  const store = createDbStore(pool, clock ? { clock } : {});
  await store.migrate();
  return {
    name: 'db',
    store,
    async holds(key) {
      const { rowCount } = await pool.query('SELECT 1 FROM sess_session WHERE key = $1', [key]);
      return rowCount === 1;
    },
    async dump() {
      const { rows } = await pool.query('SELECT * FROM sess_session');
      return JSON.stringify(rows);
    },
    async close() {
      await pool.end();
      await database.drop();
    },
  };
}

async function openRedis(): Promise<OpenEngine> {
  const client = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  const store = createRedisStore(client, { prefix: `${label('redis')}:` });
  return {
    name: 'redis',
    store,
    holds: async (key) => (await client.exists(store.keyOf(key))) === 1,
    async dump() {
      // keyOf('') is the prefix followed by `{}`: every key of this store, owner indexes included.
      const keys = await client.keys(`${store.keyOf('').slice(0, -2)}*`);
      const entries = [];
      for (const key of keys) {
        const type = await client.type(key);
        const value =
          type === 'hash'
            ? await client.hgetall(key)
            : type === 'zset'
              ? await client.zrange(key, 0, -1, 'WITHSCORES')
              : type === 'set'
                ? await client.smembers(key)
                : await client.get(key);
        entries.push([key, type, value]);
      }
      return JSON.stringify(entries);
    },
    async close() {
      await client.quit();
    },
  };
}

async function openMemcached(): Promise<OpenEngine> {
  const client = new Memcached(memcachedServers(), { ...recommendedClientOptions });
  const store = createMemcachedStore(client, { prefix: `${label('mc')}:` });
  return {
    name: 'memcached',
    store,
    holds: (key) =>
      new Promise((resolve, reject) =>
        client.get(store.keyOf(key), (error: unknown, value: unknown) =>
          error ? reject(error) : resolve(value !== undefined),
        ),
      ),
    dump: async () => null,
    async close() {
      client.end();
    },
  };
}

async function openFile(clock?: Clock): Promise<OpenEngine> {
  const directory = mkdtempSync(path.join(tmpdir(), 'sess-rel-file-'));
  const store = createFileStore(clock ? { directory, clock } : { directory });
  return {
    name: 'file',
    store,
    async holds(key) {
      const file = store.pathOf(key);
      if (file === null) return false;
      try {
        return statSync(file).isFile();
      } catch {
        return false;
      }
    },
    async dump() {
      const names = readdirSync(directory);
      return JSON.stringify(names.map((name) => [name, readFileSync(path.join(directory, name), 'utf8')]));
    },
    async close() {
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * Opens `name` on the run's servers, isolated by a random prefix, database or directory. `clock` reaches the
 * engines that decide expiry by the app's clock (db, file); Redis and memcached expire by the server's.
 */
export function openEngine(name: EngineName, clock?: Clock): Promise<OpenEngine> {
  switch (name) {
    case 'db':
      return openDb(clock);
    case 'redis':
      return openRedis();
    case 'memcached':
      return openMemcached();
    case 'file':
      return openFile(clock);
  }
}
