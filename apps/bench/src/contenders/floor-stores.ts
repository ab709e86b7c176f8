import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type Memcached from 'memcached';
import type pg from 'pg';
import type { FloorStore } from './floor-logic.js';

/**
 * The hand-written stores under the server-side floors: each the least its engine needs to keep a session
 * with an expiry, through the same driver and client settings the sess contender on that engine uses.
 */

/** A `Map` of JSON strings with their deadline, checked on read: the least an in-process store needs. */
export function memoryFloorStore(): FloorStore {
  const sessions = new Map<string, { json: string; expiresAt: number }>();
  return {
    get(id) {
      const found = sessions.get(id);
      if (found === undefined) return undefined;
      if (found.expiresAt > Date.now()) return found.json;
      sessions.delete(id);
      return undefined;
    },
    set(id, json, ttlMs) {
      sessions.set(id, { json, expiresAt: Date.now() + ttlMs });
    },
  };
}

/** One `GET` and one `SET … PX` on ioredis (the caller's client, auto-pipelined like every Redis contender). */
export function redisFloorStore(redis: Redis): FloorStore {
  return {
    async get(id) {
      return (await redis.get(`floor:${id}`)) ?? undefined;
    },
    async set(id, json, ttlMs) {
      await redis.set(`floor:${id}`, json, 'PX', ttlMs);
    },
  };
}

/** The floor's table: an id, the JSON and a deadline, as the least a PostgreSQL session table holds. */
export const PG_FLOOR_TABLE = `CREATE TABLE IF NOT EXISTS floor_sessions (
  id text PRIMARY KEY,
  data text NOT NULL,
  expires_at timestamptz NOT NULL
)`;

/** One prepared `SELECT` and one prepared upsert on a `pg.Pool`. */
export function pgFloorStore(pool: pg.Pool): FloorStore {
  return {
    async get(id) {
      const { rows } = await pool.query<{ data: string }>({
        name: 'floor_get',
        text: 'SELECT data FROM floor_sessions WHERE id = $1 AND expires_at > now()',
        values: [id],
      });
      return rows[0]?.data;
    },
    async set(id, json, ttlMs) {
      await pool.query({
        name: 'floor_set',
        text: `INSERT INTO floor_sessions (id, data, expires_at)
VALUES ($1, $2, now() + $3 * interval '1 millisecond')
ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, expires_at = EXCLUDED.expires_at`,
        values: [id, json, ttlMs],
      });
    },
  };
}

/** One `get` and one `set` with the lifetime, on the `memcached` client sess's memcached engine uses. */
export function memcachedFloorStore(client: Memcached): FloorStore {
  return {
    get: (id) =>
      new Promise((resolve, reject) => {
        client.get(`floor:${id}`, (error, value) =>
          error ? reject(error) : resolve(typeof value === 'string' ? value : undefined),
        );
      }),
    set: (id, json, ttlMs) =>
      new Promise((resolve, reject) => {
        client.set(`floor:${id}`, json, Math.ceil(ttlMs / 1000), (error) =>
          error ? reject(error) : resolve(),
        );
      }),
  };
}

/**
 * One file per session, its deadline on the first line: read the file to load; write a temporary file and
 * rename it over the old one to save (so a concurrent read never sees half a session).
 */
export function fileFloorStore(directory: string): FloorStore {
  let sequence = 0;
  return {
    async get(id) {
      let text: string;
      try {
        text = await readFile(join(directory, `floor-${id}`), 'utf8');
      } catch {
        return undefined;
      }
      const newline = text.indexOf('\n');
      return Number(text.slice(0, newline)) > Date.now() ? text.slice(newline + 1) : undefined;
    },
    async set(id, json, ttlMs) {
      const target = join(directory, `floor-${id}`);
      const temporary = `${target}.${process.pid}.${sequence++}`;
      await writeFile(temporary, `${Date.now() + ttlMs}\n${json}`);
      await rename(temporary, target);
    },
  };
}
