import { randomBytes } from 'node:crypto';
import { generateSessionKey, hashSessionKey, type MetaChange } from '@sess/core/store';
import { createTestDatabase, type TestDatabase } from '@sess/test-harness';
import pg from 'pg';
import { afterAll } from 'vitest';
import type { PgPoolLike } from '../src/index.js';

/** A database of its own for one test file, and a pool on it; both go away after the file. */
export interface TestDb {
  database: TestDatabase;
  pool: pg.Pool;
  /** Errors the pool emitted for idle clients (a handler must be attached, or the process dies). */
  poolErrors: Error[];
}

/** Opens a fresh database on the run's PostgreSQL server (from the harness) for this file. */
export async function openTestDb(prefix: string): Promise<TestDb> {
  const database = await createTestDatabase(prefix);
  const pool = new pg.Pool({ connectionString: database.url, max: 8 });
  const poolErrors: Error[] = [];
  pool.on('error', (error) => poolErrors.push(error));
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });
  return { database, pool, poolErrors };
}

/** A table name no other test uses. */
export const uniqueTable = (prefix: string): string => `${prefix}_${randomBytes(4).toString('hex')}`;

/** A pool that records every statement it runs, to count round trips. */
export function countingPool(pool: PgPoolLike): PgPoolLike & { statements: string[] } {
  const statements: string[] = [];
  return {
    statements,
    query(textOrConfig, values) {
      statements.push(typeof textOrConfig === 'string' ? textOrConfig : textOrConfig.text);
      return pool.query(textOrConfig, values);
    },
  };
}

/** A row exactly as stored (expired or not): the backdoor of the tests. */
export interface RawRow {
  /** The `data` column as PostgreSQL prints it. */
  data: string;
  expiresAt: number;
  createdAt: number;
  lastSeenAt: number;
  owner: string | null;
  deadline: number | null;
  lifetime: number | null;
  previous: string | null;
  next: string | null;
}

/** Reads the row of `key` from `table` directly, bypassing the store (and its expiry filter). */
export async function rawRow(pool: pg.Pool, table: string, key: string): Promise<RawRow | null> {
  const { rows } = await pool.query(
    `SELECT data::text AS data, expires_at, created_at, last_seen_at, owner, deadline, lifetime, previous, next FROM ${quoteTable(table)} WHERE key = $1`,
    [key],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    data: row.data,
    expiresAt: (row.expires_at as Date).getTime(),
    createdAt: (row.created_at as Date).getTime(),
    lastSeenAt: (row.last_seen_at as Date).getTime(),
    owner: row.owner,
    deadline: row.deadline === null ? null : (row.deadline as Date).getTime(),
    lifetime: row.lifetime,
    previous: row.previous,
    next: row.next,
  };
}

/** `a.b` as `"a"."b"` (test table names are plain identifiers). */
export const quoteTable = (table: string): string =>
  table
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');

/** A record whose times are relative to `now`. */
export function record(data: Record<string, unknown>, now: number, ttlMs = 3_600_000, owner?: string) {
  return {
    data,
    expiresAt: now + ttlMs,
    meta: { createdAt: now, lastSeenAt: now, ...(owner === undefined ? {} : { owner }) },
  };
}

/** A fresh session key, as core issues them. */
export const newKey = generateSessionKey;

/** A fresh hashed record id (40 characters), as stored with `hashKeysAtRest`. */
export const newHashedId = (): string => hashSessionKey(generateSessionKey());

/** Two weeks, the app's default lifetime in these tests (seconds). */
export const DEFAULT_LIFETIME = 1_209_600;

/** A MetaChange written at `now` that changes only `fields` (the default lifetime is two weeks). */
export const change = (
  now: number,
  fields: Omit<MetaChange, 'now' | 'defaultLifetime'> = {},
): MetaChange => ({
  now,
  defaultLifetime: DEFAULT_LIFETIME,
  ...fields,
});
