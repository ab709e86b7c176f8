import { djangoRowFormat } from './django-format.js';
import { checkPool, DJANGO_DB_STORE_OPTIONS, type DjangoDbStoreOptions } from './options.js';
import type { PgPoolLike } from './pg-like.js';
import { createRowStore, type RowStore, tableOf } from './row-store.js';

/** The Django-mode {@link SessionStore}: Django's own session table, Django's signed format. */
export interface DjangoDbStore extends RowStore {
  /** The Django version the store writes for, `'MAJOR.MINOR'`. */
  readonly djangoVersion: string;
}

/**
 * A session store on a Django project's own `django_session` table (through the `pg.Pool` you pass), so a
 * Node app and a running Django app share sessions: rows are read and written in Django's format (see
 * `djangoRowFormat`), with `expire_date` as the expiry. `migrate()` creates the table exactly as Django's
 * migration would (for development and tests: in production Django's migrations own it).
 *
 * Whole-record writes (no delta: the last writer wins), no owner index, no metadata: `createdAt` and
 * `lastSeenAt` of a loaded record are the load time.
 */
export function createDjangoDbStore(pool: PgPoolLike, options: DjangoDbStoreOptions): DjangoDbStore {
  checkPool(pool);
  const settings = DJANGO_DB_STORE_OPTIONS.resolve(options ?? {});
  const store = createRowStore(pool, djangoRowFormat(tableOf(settings), settings), settings);
  const [major, minor] = settings.version;
  return Object.assign(store, { djangoVersion: `${major}.${minor}` });
}
