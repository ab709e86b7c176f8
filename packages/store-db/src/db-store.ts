import type {
  OwnedRecord,
  OwnerIndex,
  RecordMeta,
  SessionRecord,
  SessionStore,
  SessionUpdate,
} from '@sess/core';
import { decodeData, encodeData, encodeKey } from './json-text.js';
import { type DbStoreOptions, resolveDbStoreOptions, STORE_NAME } from './options.js';
import type { PgPoolLike } from './pg-like.js';
import { createQueryRunner } from './query-runner.js';
import { migrationSql } from './schema.js';
import { statements } from './statements.js';

/** The PostgreSQL {@link SessionStore}, with its migration and table name. */
export interface DbStore extends SessionStore {
  readonly owners: OwnerIndex;
  /** The configured table name, as given (e.g. `sess_session`). */
  readonly tableName: string;
  /** Creates the table and its indexes if missing. Idempotent, safe to run from several instances at once. */
  migrate(): Promise<void>;
  /** A no-op: the pool is yours, end it with `pool.end()`. */
  close(): Promise<void>;
}

const toMs = (value: unknown): number => (value instanceof Date ? value.getTime() : Number(value));

function metaOf(row: Record<string, unknown>): RecordMeta {
  const meta: RecordMeta = { createdAt: toMs(row.created_at), lastSeenAt: toMs(row.last_seen_at) };
  if (row.owner !== null && row.owner !== undefined) meta.owner = String(row.owner);
  if (row.deadline !== null && row.deadline !== undefined) meta.deadline = toMs(row.deadline);
  return meta;
}

const metaValues = (expiresAt: number, meta: RecordMeta): unknown[] => [
  expiresAt,
  meta.createdAt,
  meta.lastSeenAt,
  meta.owner ?? null,
  meta.deadline ?? null,
];

/**
 * A session store on PostgreSQL through the `pg.Pool` you pass (typed structurally: `pg` is never imported).
 * One statement per operation; expiry is compared with `options.clock`, never the database clock.
 *
 * The pool stays yours: attach `pool.on('error', …)` (pg emits it when an idle connection dies, e.g. the
 * server restarts, and an unhandled one ends the process) and end it yourself; the store's `close()` does
 * nothing.
 */
export function createDbStore(pool: PgPoolLike, options: DbStoreOptions = {}): DbStore {
  const resolved = resolveDbStoreOptions(pool, options);
  const { table, clock, batchSize } = resolved;
  const sql = statements(table);

  const { run, migrate } = createQueryRunner(
    pool,
    migrationSql(table),
    resolved.migrate,
    "run store.migrate() or apply sql/schema.sql, or pass migrate: 'on-first-use'",
  );

  const owners: OwnerIndex = {
    async list(owner: string): Promise<OwnedRecord[]> {
      const { rows } = await run('owners.list', sql.listOwned, [owner, clock.now()]);
      return rows.map((row) => ({
        key: String(row.key),
        meta: metaOf(row),
        expiresAt: toMs(row.expires_at),
      }));
    },
    async destroyAll(owner: string, exceptKey?: string): Promise<number> {
      const { rows } = await run('owners.destroyAll', sql.destroyOwned, [
        owner,
        exceptKey ?? null,
        clock.now(),
      ]);
      return Number(rows[0]?.live ?? 0);
    },
  };

  return {
    name: STORE_NAME,
    capabilities: { delta: true, ownerIndex: true, nativeExpiry: false, expiryResolution: 'ms' },
    owners,
    tableName: table.name,

    migrate,

    async load(key: string): Promise<SessionRecord | null> {
      const { rows } = await run('load', sql.load, [key, clock.now()]);
      const row = rows[0];
      if (!row) return null;
      return { data: decodeData(String(row.data)), expiresAt: toMs(row.expires_at), meta: metaOf(row) };
    },

    async create(key: string, record: SessionRecord): Promise<boolean> {
      const values = [
        key,
        encodeData(record.data),
        ...metaValues(record.expiresAt, record.meta),
        clock.now(),
      ];
      const { rowCount } = await run('create', sql.create, values);
      return rowCount === 1;
    },

    async update(key: string, update: SessionUpdate): Promise<boolean> {
      const meta = metaValues(update.expiresAt, update.meta);
      const now = clock.now();
      const { rowCount } = update.delta
        ? await run('update', sql.delta, [
            key,
            update.delta.unset.map(encodeKey),
            ...meta,
            now,
            encodeData(update.delta.set),
          ])
        : await run('update', sql.replace, [key, encodeData(update.data), ...meta, now]);
      return rowCount === 1;
    },

    async touch(key: string, expiresAt: number, lastSeenAt: number): Promise<boolean> {
      const { rowCount } = await run('touch', sql.touch, [key, expiresAt, lastSeenAt, clock.now()]);
      return rowCount === 1;
    },

    async destroy(key: string): Promise<void> {
      await run('destroy', sql.destroy, [key]);
    },

    async clearExpired(): Promise<number> {
      // One "now" for the whole sweep, so rows expiring meanwhile cannot keep the loop going.
      const now = clock.now();
      let total = 0;
      for (;;) {
        const { rowCount } = await run('clearExpired', sql.clearBatch, [now, batchSize]);
        total += rowCount ?? 0;
        if ((rowCount ?? 0) < batchSize) return total;
      }
    },

    async close(): Promise<void> {},
  } satisfies DbStore;
}
