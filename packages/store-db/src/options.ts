import { SessionConfigError } from '@sess/core';
import {
  DJANGO_SESSION_SALT,
  declareOptions,
  djangoFormatOptionSpecs,
  type OptionsDeclaration,
  type OptionsInput,
  option,
} from '@sess/core/store';
import type { PgPoolLike } from './pg-like.js';
import { DEFAULT_TABLE_NAME, DJANGO_TABLE_NAME, parseTableName } from './table-name.js';

/** The package name, used in errors. */
export const STORE_NAME = '@sess/store-db';

/** What `tableName` must be, for error messages. */
export const TABLE_NAME_EXPECTED =
  'a table name `name` or `schema.name` of letters, digits and underscores (at most 48 for the table, 63 for the schema)';

/** Far above any sensible batch; beyond it one DELETE would hold its locks as long as an unbatched one. */
const MAX_BATCH = 1_000_000;

/** The options of the table both formats share; `defaultTable` is the format's usual table. */
export function tableOptionSpecs(defaultTable: string) {
  return {
    /**
     * The table: `name` or `schema.name`, letters, digits and `_`, not starting with a digit (quoted in SQL,
     * so `Sessions` and `sessions` differ). The schema must exist.
     */
    tableName: option.custom<string>({
      default: defaultTable,
      expected: TABLE_NAME_EXPECTED,
      check: (value, invalid) =>
        typeof value === 'string' && parseTableName(value) !== undefined ? value : invalid(),
    }),
    /**
     * Where "now" comes from for every expiry decision (load, update, touch, destroy, create over an expired
     * row, the owner index, `clearExpired()`); the database clock is never used. Give it the manager's clock.
     */
    clock: option.clock(),
    /**
     * `'manual'`: you run `store.migrate()` (or your migration tool does). `'on-first-use'`: the store's first
     * operation runs the migration first (once; again after a failure).
     */
    migrate: option.oneOf(['manual', 'on-first-use'] as const, { default: 'manual' }),
    /** How many expired rows one `DELETE` of `clearExpired()` removes, so no statement holds locks for long. */
    batchSize: option.integer({ default: 1000, min: 1, max: MAX_BATCH }),
    /**
     * Send each statement as a named prepared statement (pg's `{ name, text, values }`), so PostgreSQL parses and
     * plans it once per connection instead of at every request. Pass `false` for a pool-like object whose
     * `query()` takes only `(text, values)`, or behind PgBouncer in transaction mode without
     * `max_prepared_statements` (PgBouncer before 1.21 cannot keep them).
     */
    preparedStatements: option.boolean({ default: true }),
  };
}

/** The specs of the table options (types named, so declaration files keep each option's JSDoc). */
type TableSpecs = ReturnType<typeof tableOptionSpecs>;
/** The specs of Django's format options and the table options. */
type DjangoSpecs = ReturnType<typeof djangoFormatOptionSpecs> & TableSpecs;

/** Names connect-pg-simple users bring, with what the store does instead. */
const PEER_HINTS: Readonly<Record<string, string>> = Object.freeze({
  pool: 'pass the pg Pool as the first argument: createDbStore(pool, options)',
  conString: 'open a pg Pool yourself and pass it: createDbStore(new pg.Pool({ connectionString }))',
  conObject: 'open a pg Pool yourself and pass it: createDbStore(new pg.Pool(config))',
  schemaName: "give the schema in tableName: 'schema.table'",
  createTableIfMissing: "use migrate: 'on-first-use'",
  pruneSessionInterval: 'run store.clearExpired() from a scheduler (or `sess clearsessions`)',
  ttl: "the session lifetime is the manager's cookieAge (seconds)",
  disableTouch: "touches are the manager's touchInterval (null disables them)",
});

/** The options of {@link createDbStore}, declared once (validation, defaults, type and README table). */
export const DB_STORE_OPTIONS: OptionsDeclaration<TableSpecs> = declareOptions(
  STORE_NAME,
  tableOptionSpecs(DEFAULT_TABLE_NAME),
  PEER_HINTS,
);

/** Options of `createDbStore`. */
export type DbStoreOptions = OptionsInput<typeof DB_STORE_OPTIONS.specs>;

/** The options of {@link createDjangoDbStore}: Django's format (its secret, salt, version) and the table. */
export const DJANGO_DB_STORE_OPTIONS: OptionsDeclaration<DjangoSpecs> = declareOptions<DjangoSpecs>(
  STORE_NAME,
  { ...djangoFormatOptionSpecs(DJANGO_SESSION_SALT), ...tableOptionSpecs(DJANGO_TABLE_NAME) },
  PEER_HINTS,
);

/**
 * Options of `createDjangoDbStore`. `version` is given as text (the spec's value type is the parsed
 * `[major, minor]`, which the input type would otherwise demand).
 */
export type DjangoDbStoreOptions = Omit<OptionsInput<DjangoSpecs>, 'version'> & {
  /**
   * The Django version (`'MAJOR.MINOR'`, 3.1 or later) that shares the table. Below 4.1 Django cannot read an
   * ISO date in `_session_expiry`, so one is written as whole seconds from the save instead.
   */
  version?: string | undefined;
};

/** Throws the {@link SessionConfigError} of `pool` unless it has `query()`. */
export function checkPool(pool: unknown): asserts pool is PgPoolLike {
  if (typeof (pool as PgPoolLike | null)?.query !== 'function') {
    throw new SessionConfigError(
      STORE_NAME,
      'pool',
      'a pg Pool (or any object with query(text, values))',
      pool,
    );
  }
}
