import {
  CapabilityMissing,
  createDjangoSigner,
  djangoReadsIsoExpiry,
  type RecordMeta,
  type SessionData,
  type SessionRecord,
  type SessionStore,
  type SessionUpdate,
  withSecondsExpiry,
} from '@sess/core';
import { type DjangoDbStoreOptions, resolveDjangoDbStoreOptions } from './django-options.js';
import { djangoMigrationSql } from './django-schema.js';
import { djangoStatements } from './django-statements.js';
import { STORE_NAME } from './options.js';
import type { PgPoolLike } from './pg-like.js';
import { createQueryRunner } from './query-runner.js';

/** The Django-mode {@link SessionStore}: Django's own session table, Django's signed format. */
export interface DjangoDbStore extends SessionStore {
  /** The configured table name, as given (e.g. `django_session`). */
  readonly tableName: string;
  /** The Django version the store writes for, `'MAJOR.MINOR'`. */
  readonly djangoVersion: string;
  /**
   * Creates Django's session table and indexes if missing, exactly as Django's PostgreSQL migration
   * would (for development and tests: in production Django's migrations own the table).
   */
  migrate(): Promise<void>;
  /** A no-op: the pool is yours, end it with `pool.end()`. */
  close(): Promise<void>;
}

const isPlainObject = (value: unknown): value is SessionData =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Django keeps no metadata: an owner or an absolute deadline cannot be stored, so they are refused. */
function assertStorable(meta: RecordMeta): void {
  if (meta.owner !== undefined) {
    throw new CapabilityMissing(STORE_NAME, 'session owners in Django mode (capabilities.ownerIndex)');
  }
  if (meta.deadline !== undefined) {
    throw new CapabilityMissing(STORE_NAME, 'absolute deadlines in Django mode (Django stores no metadata)');
  }
}

/**
 * A session store on a Django project's own `django_session` table (through the `pg.Pool` you pass), so a
 * Node app and a running Django app share sessions: rows are read and written in Django's format
 * (`signing.dumps` under `SECRET_KEY`, zlib-compressed when shorter, JSON as Python writes it), with
 * `expire_date` as the expiry.
 *
 * Whole-record writes (no delta: the last writer wins), no owner index, no metadata: `createdAt` and
 * `lastSeenAt` of a loaded record are the load time. A row whose signature or encoding is bad is treated as
 * absent (Django itself would keep the key with empty data); `onInvalidData` hears about it.
 */
export function createDjangoDbStore(pool: PgPoolLike, options: DjangoDbStoreOptions): DjangoDbStore {
  const resolved = resolveDjangoDbStoreOptions(pool, options);
  const { table, clock, batchSize, version, onInvalidData } = resolved;
  const sql = djangoStatements(table);
  const signer = createDjangoSigner({
    secret: resolved.secretKey,
    fallbackSecrets: resolved.secretKeyFallbacks,
    salt: resolved.keySalt,
    // Give back every key Django stored, as own data (JSON.parse never sets a prototype): a key dropped on
    // load would be dropped from Django's row by the next save.
    parse: JSON.parse,
  });
  const isoExpiry = djangoReadsIsoExpiry(version);
  const { run, migrate } = createQueryRunner(
    pool,
    djangoMigrationSql(table),
    resolved.migrate,
    "Django's table is missing: run `manage.py migrate sessions`, or store.migrate() in development",
  );

  /** `session_data` for `data`, signed now with the current key. */
  function encode(data: SessionData, now: number): string {
    return signer.dumps(isoExpiry ? data : withSecondsExpiry(data, now), now);
  }

  return {
    name: STORE_NAME,
    capabilities: {
      delta: false,
      ownerIndex: false,
      nativeExpiry: false,
      expiryResolution: 'ms',
      metadata: false,
      sharedKeys: true,
    },
    tableName: table.name,
    djangoVersion: `${version[0]}.${version[1]}`,
    migrate,

    async load(key: string): Promise<SessionRecord | null> {
      const now = clock.now();
      const { rows } = await run('load', sql.load, [key, now]);
      const row = rows[0];
      if (!row) return null;
      const opened = signer.loads(String(row.session_data));
      const reason = !opened.ok ? opened.reason : isPlainObject(opened.value) ? undefined : 'malformed';
      if (reason !== undefined) {
        onInvalidData?.(reason);
        return null;
      }
      return {
        data: (opened as { value: SessionData }).value,
        expiresAt: Math.floor(Number(row.expire_date)),
        meta: { createdAt: now, lastSeenAt: now },
      };
    },

    async create(key: string, record: SessionRecord): Promise<boolean> {
      assertStorable(record.meta);
      const now = clock.now();
      const values = [key, encode(record.data, now), record.expiresAt, now];
      const { rowCount } = await run('create', sql.create, values);
      return rowCount === 1;
    },

    async update(key: string, update: SessionUpdate): Promise<boolean> {
      assertStorable(update.meta);
      const now = clock.now();
      const values = [key, encode(update.data, now), update.expiresAt, now];
      const { rowCount } = await run('update', sql.replace, values);
      return rowCount === 1;
    },

    async touch(key: string, expiresAt: number): Promise<boolean> {
      const { rowCount } = await run('touch', sql.touch, [key, expiresAt, clock.now()]);
      return rowCount === 1;
    },

    async destroy(key: string): Promise<void> {
      await run('destroy', sql.destroy, [key]);
    },

    async clearExpired(): Promise<number> {
      const now = clock.now();
      let total = 0;
      for (;;) {
        const { rowCount } = await run('clearExpired', sql.clearBatch, [now, batchSize]);
        total += rowCount ?? 0;
        if ((rowCount ?? 0) < batchSize) return total;
      }
    },

    async close(): Promise<void> {},
  } satisfies DjangoDbStore;
}
