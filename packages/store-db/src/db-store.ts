import type { OwnerIndex } from '@sess/core/store';
import { nativeRowFormat } from './native-format.js';
import { checkPool, DB_STORE_OPTIONS, type DbStoreOptions } from './options.js';
import type { PgPoolLike } from './pg-like.js';
import { createRowStore, type RowStore, tableOf } from './row-store.js';

/** The PostgreSQL {@link SessionStore} in sess's own format, with its owner index. */
export interface DbStore extends RowStore {
  readonly owners: OwnerIndex;
}

/**
 * A session store on PostgreSQL through the `pg.Pool` you pass (typed structurally: `pg` is never imported),
 * in sess's own table (`schemaSql()`): the data as `jsonb` and the metadata in columns. One statement per
 * operation; a write applies its data delta and its metadata change to the row as it is, in that statement.
 * Expiry is compared with `options.clock`, never the database clock.
 *
 * The pool stays yours: attach `pool.on('error', …)` (pg emits it when an idle connection dies, e.g. the
 * server restarts, and an unhandled one ends the process) and end it yourself; the store's `close()` does
 * nothing.
 */
export function createDbStore(pool: PgPoolLike, options: DbStoreOptions = {}): DbStore {
  checkPool(pool);
  const settings = DB_STORE_OPTIONS.resolve(options);
  return createRowStore(pool, nativeRowFormat(tableOf(settings)), settings) as DbStore;
}
