import { recommendedClientOptions } from '@sess/store-memcached';
import { Redis } from 'ioredis';
import Memcached from 'memcached';
import pg from 'pg';

/**
 * The clients every contender on an engine gets, sess, peers and floors alike, so a comparison is between
 * session layers and not between client settings.
 */

/**
 * ioredis as its best-informed users run it: `enableAutoPipelining: true` (one socket write per event-loop
 * turn instead of one per command; store-redis's README recommends it) and a bounded retry, for every ioredis
 * contender.
 */
export function ioredisClient(url: string | undefined): Redis {
  return new Redis(need(url, 'redisUrl'), { maxRetriesPerRequest: 1, enableAutoPipelining: true });
}

/** A `pg.Pool` with pg's defaults (10 connections), the pool connect-pg-simple's README calls recommended. */
export function pgPool(url: string | undefined): pg.Pool {
  const pool = new pg.Pool({ connectionString: need(url, 'databaseUrl') });
  pool.on('error', (error) => console.error('idle PostgreSQL connection lost', error));
  return pool;
}

/** The `memcached` client with the settings store-memcached's README recommends. */
export function memcachedClient(servers: string[] | undefined): Memcached {
  return new Memcached(need(servers, 'memcachedServers'), { ...recommendedClientOptions });
}

/** `value`, or an error naming what the contender needs. */
export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`bench: this contender needs ${what}`);
  return value;
}
