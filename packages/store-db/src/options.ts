import { type Clock, SessionConfigError, systemClock } from '@sess/core';
import type { PgPoolLike } from './pg-like.js';
import { DEFAULT_TABLE_NAME, parseTableName, type TableName } from './table-name.js';

/** The package name, used in errors. */
export const STORE_NAME = '@sess/store-db';

/** What `tableName` must be, for error messages. */
export const TABLE_NAME_EXPECTED = 'a table name `name` or `schema.name` of letters, digits and underscores';

/** Options of {@link createDbStore}. */
export interface DbStoreOptions {
  /**
   * The session table: `name` or `schema.name`, letters, digits and underscores (quoted in SQL, so case
   * matters). A schema must already exist.
   * @default 'sess_session'
   */
  tableName?: string;
  /**
   * Where "now" comes from when deciding whether a row has expired (load, update, touch, create over an
   * expired row, owner listing, `clearExpired()`). The database clock is never used, because the manager
   * computes every `expiresAt` with the app's clock: give the store the same clock as the manager.
   * @default the system clock
   */
  clock?: Clock;
  /**
   * `'manual'`: you call `store.migrate()` (or apply `sql/schema.sql` with your migration tool).
   * `'on-first-use'`: the first operation of the store runs `migrate()` first (once; retried after a failure).
   * @default 'manual'
   */
  migrate?: 'manual' | 'on-first-use';
  /** How many expired rows one `DELETE` of `clearExpired()` removes, so no statement holds locks for long. @default 1000 */
  batchSize?: number;
}

/** Options after validation. */
export type ResolvedDbStoreOptions = SharedDbOptions;

/** Far above any sensible batch; beyond it one DELETE would hold its locks as long as an unbatched one. */
const MAX_BATCH = 1_000_000;

/** The option's value, or `fallback` when it is absent (`undefined`; `null` is a value, and invalid). */
export const valueOr = (options: Record<string, unknown>, name: string, fallback: unknown): unknown =>
  options[name] === undefined ? fallback : options[name];

/** Throws the {@link SessionConfigError} of `option`; `received` is quoted in the message when given. */
export const fail = (option: string, expected: string, ...received: [unknown?]): never => {
  throw new SessionConfigError(STORE_NAME, option, expected, ...received);
};

/** What both stores validate the same way. */
export interface SharedDbOptions {
  table: TableName;
  clock: Clock;
  migrate: 'manual' | 'on-first-use';
  batchSize: number;
}

/** The shared option names, which every store accepts. */
export const SHARED_OPTIONS = ['tableName', 'clock', 'migrate', 'batchSize'];

/**
 * Checks the pool, that `input` is an options object (or undefined) and that it names only `known` options;
 * returns the options as a record.
 */
export function checkPoolAndOptions(
  pool: unknown,
  input: unknown,
  known: readonly string[],
): Record<string, unknown> {
  if (typeof pool !== 'object' || pool === null || typeof (pool as PgPoolLike).query !== 'function') {
    fail('pool', 'a pg Pool (or any object with query(text, values))', pool);
  }
  if (input === undefined) input = {};
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    fail('options', 'an object', input);
  const options = input as Record<string, unknown>;
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) fail(name, `a known option (${known.join(', ')})`, options[name]);
  }
  return options;
}

/** Validates `tableName`, `clock`, `migrate` and `batchSize`, filling in the defaults. */
export function resolveSharedOptions(
  options: Record<string, unknown>,
  defaultTable: string,
): SharedDbOptions {
  const tableName = valueOr(options, 'tableName', defaultTable);
  const table = typeof tableName === 'string' ? parseTableName(tableName) : undefined;
  if (!table) {
    fail('tableName', TABLE_NAME_EXPECTED, tableName);
  }

  const clock = valueOr(options, 'clock', systemClock);
  if (typeof clock !== 'object' || clock === null || typeof (clock as Clock).now !== 'function') {
    fail('clock', 'an object with now()', clock);
  }

  const migrate = valueOr(options, 'migrate', 'manual');
  if (migrate !== 'manual' && migrate !== 'on-first-use')
    fail('migrate', "'manual' or 'on-first-use'", migrate);

  const batchSize = valueOr(options, 'batchSize', 1000);
  if (
    typeof batchSize !== 'number' ||
    !Number.isInteger(batchSize) ||
    batchSize < 1 ||
    batchSize > MAX_BATCH
  ) {
    fail('batchSize', `a whole number from 1 to ${MAX_BATCH}`, batchSize);
  }

  return {
    table: table as TableName,
    clock: clock as Clock,
    migrate: migrate as 'manual' | 'on-first-use',
    batchSize: batchSize as number,
  };
}

/** Validates the pool and the options (naming the offending one) and fills in the defaults. */
export function resolveDbStoreOptions(pool: unknown, input: unknown): ResolvedDbStoreOptions {
  return resolveSharedOptions(checkPoolAndOptions(pool, input, SHARED_OPTIONS), DEFAULT_TABLE_NAME);
}
