import { randomBytes } from 'node:crypto';
import { type Clock, SessionStoreError } from '@sess/core';
import type { SessionStore } from '@sess/core/store';
import type { PgPoolLike, PgQueryResultLike } from '@sess/store-db';
import type { ResolvedConfig } from '../config.js';
import { importOptional, redactUrl } from '../driver.js';
import { UsageError } from '../errors.js';

/** An opened PostgreSQL engine (`db` or `django-db`) and what `clearsessions` needs of it. */
export interface DbEngine {
  store: SessionStore;
  /** `table "sess_session" at postgres://host:5432/app`. */
  where: string;
  /** How many rows have `expires_at <= now` (`expire_date` in Django's table). */
  countExpired(now: number): Promise<number>;
  /** The store's batched `clearExpired()`; `onBatch` hears how many rows each `DELETE` removed. */
  clearExpired(onBatch: (count: number) => void): Promise<number>;
  close(): Promise<void>;
}

/** Quotes a table name the store has already validated (letters, digits, `_`, optionally `schema.`). */
const quoteTable = (name: string): string =>
  name
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');

/**
 * Opens a `pg.Pool` and the `db` or `django-db` store on it. Each connection attempt and each statement is
 * bounded by `timeoutMs`. `clock` is the store's "now": `clearsessions` pins it, so its count and its
 * deletions agree on which rows are expired.
 */
export async function openDb(
  config: ResolvedConfig,
  kind: 'db' | 'django-db',
  clock: Clock,
): Promise<DbEngine> {
  if (config.url === undefined && Object.keys(config.connection).length === 0) {
    throw new UsageError(
      `the ${kind} engine needs --url, DATABASE_URL, or \`connection\` in the config file`,
    );
  }
  const install = 'npm install @sess/store-db pg';
  const { default: pg } = await importOptional(() => import('pg'), 'pg', kind, install);
  const engine = await importOptional(() => import('@sess/store-db'), '@sess/store-db', kind, install);
  const pool = new pg.Pool({
    max: 2,
    connectionTimeoutMillis: config.timeoutMs,
    query_timeout: config.timeoutMs,
    ...config.connection,
    ...(config.url === undefined ? {} : { connectionString: config.url }),
  });
  // An idle connection that dies emits 'error' on the pool; the next query reports the failure itself.
  pool.on('error', () => {});

  let onResult: ((result: PgQueryResultLike) => void) | undefined;
  const observed: PgPoolLike = {
    async query(textOrConfig, values) {
      const result = await pool.query(textOrConfig, values);
      onResult?.(result as PgQueryResultLike);
      return result as PgQueryResultLike;
    },
  };
  const options = {
    batchSize: config.batchSize,
    clock,
    ...(config.table ? { tableName: config.table } : {}),
  };
  let store: SessionStore & { tableName: string };
  try {
    store =
      kind === 'db'
        ? engine.createDbStore(observed, options)
        : // clearExpired never reads session_data, and Django mode has no owner index, so nothing here
          // verifies or signs: a throwaway SECRET_KEY satisfies the constructor.
          engine.createDjangoDbStore(observed, { ...options, secretKey: randomBytes(32).toString('hex') });
  } catch (error) {
    await pool.end();
    throw error;
  }
  const column = kind === 'db' ? 'expires_at' : 'expire_date';
  const table = quoteTable(store.tableName);
  const server = config.url === undefined ? 'the server in `connection`' : redactUrl(config.url);

  return {
    store,
    where: `table ${store.tableName} at ${server}`,
    async countExpired(now: number): Promise<number> {
      try {
        const { rows } = await pool.query(
          `SELECT count(*)::text AS n FROM ${table} WHERE ${column} <= to_timestamp($1::float8 / 1000)`,
          [now],
        );
        return Number(rows[0]?.n ?? 0);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new SessionStoreError(`[${store.name}] counting expired sessions failed: ${reason}`, {
          operation: 'countExpired',
          cause: error,
        });
      }
    },
    async clearExpired(onBatch: (count: number) => void): Promise<number> {
      // Every statement the store runs during clearExpired() is one batch DELETE (migrations are manual).
      onResult = (result) => onBatch(result.rowCount ?? 0);
      try {
        return await store.clearExpired();
      } finally {
        onResult = undefined;
      }
    },
    close: () => pool.end(),
  };
}
