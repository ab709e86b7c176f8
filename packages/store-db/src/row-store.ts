import type { Clock } from '@sess/core';
import type {
  MetaChange,
  OwnedRecord,
  OwnerIndex,
  RecordMeta,
  SessionRecord,
  SessionStore,
  SessionUpdate,
} from '@sess/core/store';
import { STORE_NAME } from './options.js';
import type { PgPoolLike } from './pg-like.js';
import { createQueryRunner } from './query-runner.js';
import type { RowFormat } from './row-format.js';
import { parseTableName, type TableName } from './table-name.js';

/** A {@link SessionStore} on one PostgreSQL table, in one {@link RowFormat}. */
export interface RowStore extends SessionStore {
  /** The configured table name, as given (e.g. `sess_session`). */
  readonly tableName: string;
  /** Creates the table and its indexes if missing. Idempotent, safe to run from several instances at once. */
  migrate(): Promise<void>;
  /** A no-op: the pool is yours, end it with `pool.end()`. */
  close(): Promise<void>;
}

/** The table options both formats share, resolved. */
export interface TableSettings {
  tableName: string;
  clock: Clock;
  migrate: 'manual' | 'on-first-use';
  batchSize: number;
  preparedStatements: boolean;
}

/** The validated name of an option value `tableName` that its spec already checked. */
export const tableOf = (settings: TableSettings): TableName =>
  parseTableName(settings.tableName) as TableName;

/**
 * The store over `pool` for `format`: one statement per operation (the format's), expiry judged by
 * `settings.clock`, never the database clock; driver errors become a `SessionStoreError` naming the
 * operation; `clearExpired()` deletes in batches until one comes back short.
 */
export function createRowStore(pool: PgPoolLike, format: RowFormat, settings: TableSettings): RowStore {
  const { clock, batchSize } = settings;
  const { run, migrate } = createQueryRunner(pool, {
    migration: format.migration,
    mode: settings.migrate,
    missingTableHint: format.missingTableHint,
    prepared: settings.preparedStatements,
  });
  const exec = (operation: string, query: { text: string; values: unknown[] }) =>
    run(operation, query.text, query.values);

  const store: RowStore = {
    name: STORE_NAME,
    capabilities: { ...format.capabilities, nativeExpiry: false, expiryResolution: 'ms' },
    tableName: settings.tableName,
    migrate,

    async load(id: string): Promise<SessionRecord | null> {
      const now = clock.now();
      const row = (await exec('load', format.load(id, now))).rows[0];
      return row ? format.record(row, now) : null;
    },

    async create(id: string, record: SessionRecord): Promise<boolean> {
      const { rowCount } = await exec('create', format.create(id, record, clock.now()));
      return rowCount === 1;
    },

    async update(id: string, update: SessionUpdate): Promise<boolean> {
      const { rowCount } = await exec('update', format.update(id, update, clock.now()));
      return rowCount === 1;
    },

    async touch(id: string, change: MetaChange): Promise<boolean> {
      const { rowCount } = await exec('touch', format.touch(id, change, clock.now()));
      return rowCount === 1;
    },

    async destroy(id: string): Promise<RecordMeta | null> {
      const now = clock.now();
      const row = (await exec('destroy', format.destroy(id, now))).rows[0];
      return row?.live === true ? format.meta(row, now) : null;
    },

    async clearExpired(): Promise<number> {
      // One "now" for the whole sweep, so rows expiring meanwhile cannot keep the loop going.
      const now = clock.now();
      let total = 0;
      for (;;) {
        const { rowCount } = await exec('clearExpired', format.clearBatch(now, batchSize));
        total += rowCount ?? 0;
        if ((rowCount ?? 0) < batchSize) return total;
      }
    },

    async close(): Promise<void> {},
  };

  const queries = format.owners;
  if (queries) {
    const owners: OwnerIndex = {
      async list(owner: string): Promise<OwnedRecord[]> {
        const { rows } = await exec('owners.list', queries.list(owner, clock.now()));
        return rows.map(queries.owned);
      },
      async destroyAll(owner: string, exceptId?: string): Promise<number> {
        const { rows } = await exec(
          'owners.destroyAll',
          queries.destroyAll(owner, exceptId ?? null, clock.now()),
        );
        return Number(rows[0]?.live ?? 0);
      },
    };
    Object.assign(store, { owners });
  }
  return store;
}
