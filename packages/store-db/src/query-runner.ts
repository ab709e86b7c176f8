import { createHash } from 'node:crypto';
import { SessionStoreError } from '@sess/core';
import { STORE_NAME } from './options.js';
import type { PgPoolLike, PgQueryResultLike } from './pg-like.js';

/** PostgreSQL "undefined_table": the migration has not run. */
const UNDEFINED_TABLE = '42P01';

/** Runs a store's statements: migrating first when asked to, and naming the operation in every error. */
export interface QueryRunner {
  /** Runs one statement of `operation`; driver errors become a `SessionStoreError` naming it. */
  run(operation: string, text: string, values: unknown[]): Promise<PgQueryResultLike>;
  /** Runs the migration now. */
  migrate(): Promise<void>;
}

/** How a runner sends its statements. */
export interface RunnerSettings {
  migration: string;
  mode: 'manual' | 'on-first-use';
  /** Appended to the error of a statement that found no table. */
  missingTableHint: string;
  /** Whether statements go as named prepared statements. */
  prepared: boolean;
}

/**
 * The name of the prepared statement of `text`: derived from the text alone, so equal texts share a name on a
 * connection and different texts (another table, another store on the same pool) never do.
 */
const preparedName = (text: string): string =>
  `sess_${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;

/**
 * A runner over `pool`. With `'on-first-use'` the first statement waits for the migration (once; again after a
 * failure). Prepared, each statement is sent under its {@link preparedName} (computed once per text).
 */
export function createQueryRunner(pool: PgPoolLike, settings: RunnerSettings): QueryRunner {
  const { migration, mode, missingTableHint, prepared } = settings;
  const names = new Map<string, string>();
  const send = (text: string, values: unknown[]): Promise<PgQueryResultLike> => {
    if (!prepared) return pool.query(text, values);
    let name = names.get(text);
    if (name === undefined) {
      name = preparedName(text);
      names.set(text, name);
    }
    return pool.query({ name, text, values });
  };
  let migrated: Promise<void> | undefined;
  const ready = (): Promise<void> | undefined => {
    if (mode === 'manual') return undefined;
    migrated ??= pool.query(migration).then(
      () => undefined,
      (error: unknown) => {
        migrated = undefined;
        throw error;
      },
    );
    return migrated;
  };

  function storeError(operation: string, error: unknown): SessionStoreError {
    const reason = error instanceof Error ? error.message : String(error);
    const hint =
      (error as { code?: unknown } | null)?.code === UNDEFINED_TABLE ? ` (${missingTableHint})` : '';
    return new SessionStoreError(`[${STORE_NAME}] ${operation} failed: ${reason}${hint}`, {
      operation,
      cause: error,
    });
  }

  return {
    async run(operation: string, text: string, values: unknown[]): Promise<PgQueryResultLike> {
      try {
        const migration = ready();
        if (migration) await migration;
        return await send(text, values);
      } catch (error) {
        throw storeError(operation, error);
      }
    },
    async migrate(): Promise<void> {
      try {
        await pool.query(migration);
      } catch (error) {
        throw storeError('migrate', error);
      }
      migrated = Promise.resolve();
    },
  };
}

/**
 * A migration as `migrate()` sends it: `ddl` behind a transaction-scoped advisory lock on `lockKey`, as one
 * multi-statement query (one implicit transaction), so app instances starting together do not race on
 * `CREATE TABLE IF NOT EXISTS` (which is not safe against a concurrent create on its own).
 */
export function lockedMigration(lockKey: string, ddl: string): string {
  return `SELECT pg_advisory_xact_lock(hashtext('${lockKey}'));\n${ddl}`;
}
